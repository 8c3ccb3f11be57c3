export * from "./qr";
export * from "./product";
export * from "./triangular";
export * from "./vectors";
