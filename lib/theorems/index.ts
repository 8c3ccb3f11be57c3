export * as lemma2 from "./lemma2";
export * as theorem1 from "./theorem1";
export * as theorem4 from "./theorem4";
