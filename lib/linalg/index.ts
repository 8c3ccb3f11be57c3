export * from "./qr";
export * from "./triangular";
export * from "./vectors";
