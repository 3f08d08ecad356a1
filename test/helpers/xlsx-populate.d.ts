declare module "xlsx-populate" {
  const XlsxPopulate: {
    fromDataAsync(data: Buffer | ArrayBuffer | Uint8Array): Promise<unknown>;
    fromBlankAsync(): Promise<unknown>;
  };
  export default XlsxPopulate;
}
