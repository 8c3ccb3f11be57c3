/**
 * Blocked Householder QR on column-major arrays in the workspace (LAPACK's dgeqrf and dorgqr):
 * panels of PANEL columns are factored column by column (kernels/householder.wat), and the
 * reflectors of a panel, in compact WY form H_k ⋯ H_{k+b−1} = I − V T Vᵀ, update the rest of the
 * matrix by matrix products (kernels/gemm.wat). Pointers are byte addresses. qr.ts is the
 * library's surface; this file knows nothing of ml-matrix.
 */
import { leadingDimension, packedLength, Product, type Workspace } from "./workspace";

/** Columns per panel (LAPACK's default block size for dgeqrf is 32 as well). */
export const PANEL = 32;
/** Matrices with at most this many columns are factored unblocked: the products would not pay. */
export const UNBLOCKED_COLUMNS = 64;

/** Scratch arrays for one block reflector applied to at most `rows` × `cols`. */
interface BlockScratch {
  /** V explicit (rows × PANEL) and its leading dimension. */
  pV: number;
  ldv: number;
  /** V and Vᵀ packed for the products (kernels/gemm.wat's pack). */
  pVp: number;
  pVtp: number;
  /** VᵀV and T (PANEL × PANEL, leading dimension the panel's width), op(T) packed. */
  pG: number;
  pT: number;
  pTp: number;
  /** Vᵀ C and op(T) Vᵀ C (PANEL × cols). */
  pW: number;
  pW2: number;
}

function blockScratch(ws: Workspace, rows: number, cols: number): BlockScratch {
  const ldv = leadingDimension(rows);
  return {
    pV: ws.alloc(ldv * PANEL),
    ldv,
    pVp: ws.alloc(packedLength(rows, PANEL)),
    pVtp: ws.alloc(packedLength(PANEL, rows)),
    pG: ws.alloc(PANEL * PANEL),
    pT: ws.alloc(PANEL * PANEL),
    pTp: ws.alloc(packedLength(PANEL, PANEL)),
    pW: ws.alloc(PANEL * cols),
    pW2: ws.alloc(PANEL * cols),
  };
}

/**
 * C ← (I − V T Vᵀ)ᵀ C (`transpose`: the factorisation's update of the columns right of a panel)
 * or C ← (I − V T Vᵀ) C (forming Q), where V holds the kb reflectors of the rows × kb panel at
 * pPanel and C is rows × cols: W = Vᵀ C, W ← op(T) W, C ← C − V W (LAPACK's dlarft and dlarfb).
 */
function applyBlock(
  ws: Workspace,
  s: BlockScratch,
  transpose: boolean,
  rows: number,
  cols: number,
  kb: number,
  pPanel: number,
  lda: number,
  pTau: number,
  pC: number,
  ldc: number,
): void {
  const { gemm, pack } = ws.products;
  ws.householder.unpackV(rows, kb, pPanel, lda, s.pV, s.ldv);
  pack(rows, kb, s.pV, 1, s.ldv, s.pVp);
  pack(kb, rows, s.pV, s.ldv, 1, s.pVtp);
  gemm(kb, kb, rows, s.pVtp, s.pV, s.ldv, s.pG, kb, Product.Set);
  ws.householder.larft(kb, s.pG, pTau, s.pT);
  if (transpose) pack(kb, kb, s.pT, kb, 1, s.pTp);
  else pack(kb, kb, s.pT, 1, kb, s.pTp);
  gemm(kb, cols, rows, s.pVtp, pC, ldc, s.pW, kb, Product.Set);
  gemm(kb, cols, kb, s.pTp, s.pW, kb, s.pW2, kb, Product.Set);
  gemm(rows, cols, kb, s.pVp, s.pW2, kb, pC, ldc, Product.Subtract);
}

/**
 * Householder QR of the m×n (m ≥ n) array at pA in place: R on and above the diagonal (with
 * LAPACK's signs, R_jj ≤ 0 possible), the reflectors below it, their τ at pTau (n entries).
 */
export function factor(
  ws: Workspace,
  m: number,
  n: number,
  pA: number,
  lda: number,
  pTau: number,
): void {
  if (n <= UNBLOCKED_COLUMNS) {
    ws.householder.geqr2(m, n, pA, lda, pTau);
    return;
  }
  ws.frame(() => {
    const s = blockScratch(ws, m, n);
    for (let k = 0; k < n; k += PANEL) {
      const kb = Math.min(PANEL, n - k);
      const rows = m - k;
      const pPanel = pA + 8 * (k * lda + k);
      ws.householder.geqr2(rows, kb, pPanel, lda, pTau + 8 * k);
      const cols = n - k - kb;
      if (cols > 0)
        applyBlock(
          ws,
          s,
          true,
          rows,
          cols,
          kb,
          pPanel,
          lda,
          pTau + 8 * k,
          pPanel + 8 * kb * lda,
          lda,
        );
    }
  });
}

/**
 * Q = H_0 ⋯ H_{n−1} applied to the first q ≥ n columns of I_m, into the m×q array at pQ, from
 * what factor() left at pA and pTau.
 */
export function formQ(
  ws: Workspace,
  m: number,
  n: number,
  q: number,
  pA: number,
  lda: number,
  pTau: number,
  pQ: number,
  ldq: number,
): void {
  if (n <= UNBLOCKED_COLUMNS) {
    ws.householder.org2r(m, n, q, pA, lda, pTau, pQ, ldq);
    return;
  }
  ws.frame(() => {
    const s = blockScratch(ws, m, q);
    const f64 = ws.f64;
    for (let j = 0; j < q; j++) {
      f64.fill(0, pQ / 8 + j * ldq, pQ / 8 + j * ldq + m);
      f64[pQ / 8 + j * ldq + j] = 1;
    }
    for (let k = Math.floor((n - 1) / PANEL) * PANEL; k >= 0; k -= PANEL) {
      const kb = Math.min(PANEL, n - k);
      const pPanel = pA + 8 * (k * lda + k);
      const pC = pQ + 8 * (k * ldq + k);
      applyBlock(ws, s, false, m - k, q - k, kb, pPanel, lda, pTau + 8 * k, pC, ldq);
    }
  });
}

/**
 * The sign fix D = diag(sign R_jj) of the paper's convention R_jj ≥ 0: R ← DR (rows of the upper
 * triangle at pA) and, when pQ is given, Q ← QD (its first n columns). Returns nothing; D² = I
 * keeps QR = A.
 */
export function fixSigns(
  f64: Float64Array,
  n: number,
  pA: number,
  lda: number,
  pQ: number | null,
  m: number,
  ldq: number,
): void {
  const a = pA / 8;
  for (let k = 0; k < n; k++) {
    if (!(f64[a + k * lda + k] < 0)) continue;
    for (let j = k, p = a + k * lda + k; j < n; j++, p += lda) f64[p] = -f64[p];
    if (pQ !== null) {
      const c = pQ / 8 + k * ldq;
      for (let i = 0; i < m; i++) f64[c + i] = -f64[c + i];
    }
  }
}
