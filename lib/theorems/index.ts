export * as lemma2 from "./lemma2";
