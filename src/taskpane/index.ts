import { checkGrid } from "../core";

export { checkGrid };

function render(root: HTMLElement): void {
  const heading = document.createElement("h1");
  heading.textContent = "Prognoskoll";
  const text = document.createElement("p");
  text.textContent = "Det här fönstret öppnas från Excel: välj Kontrollera budget på fliken Start.";
  root.replaceChildren(heading, text);
}

const app = document.getElementById("app");
if (app) render(app);
