export * from "./linear";
export * from "./deepfool";
