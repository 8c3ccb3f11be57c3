export * from "./config";
export * from "./lemma2";
export * from "./theorem1";
export * from "./lemma3";
export * from "./theorem4";
export * from "./theorem6";
export * from "./cache";
export * from "./tables12";
