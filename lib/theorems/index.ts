export * as lemma2 from "./lemma2";
export * as theorem1 from "./theorem1";
export * as theorem4 from "./theorem4";
export * as theorem5 from "./theorem5";
export * as theorem6 from "./theorem6";
export * as lastLayer from "./lastlayer";
export * as theorem7 from "./theorem7";
