;; The per-step work of HypercubeRelu (lib/training/hypercube-relu.ts) in WebAssembly: section 6's
;; ReLU network d → H → 2 on x_k = A z_k, z_k ∈ {±1}^d. Assembled to hypercube-relu.wasm by
;; scripts/build-wasm.ts; Adam is kernels/adam.wat.
;;
;; Training (float32, as PyTorch computes; four hidden units per 128-bit SIMD vector, a "quad";
;; the number of quads Hq is even, the units beyond the width all zero):
;;   θ: W_1 by quads (entry (q·dp + r)·4 + lane is unit 4q+lane's weight on input r; dp = d rounded
;;   up to a multiple of 4, the extra inputs' weights zero), then b_1, the two
;;   rows of W_2, then b_2 (4 floats, 2 used); the gradient has the same layout. vd = W_2[1] − W_2[0]:
;;   the logits enter the cross-entropy only through t = f_1 − f_0 = Σ_j vd_j relu(pre_j) + c.
;;   Three ways to the pre-activations of a batch:
;;   * rows: pre = W_1 x + b_1 from the batch's float32 rows (small batches: nothing to build);
;;   * points: tables of partial sums. Point k = c·nlo + a (a: its low L sign bits, c: the high
;;     d − L) has pre = Plo[a] + Phi[c] with Plo[a] = Σ_{low i} u_i z_i, Phi[c] = Σ_{high i} u_i z_i
;;     + b, u = Aᵀw: one addition per unit and point once the 2^L + 2^(d−L) entries are built, each
;;     from an earlier one by one sign flip;
;;   * grid: the same tables over all 2^d points, with zero slope off the batch (large batches).
;;   Backwards, Σ_k δ_k z_k (∂L/∂u) is read off tables of summed slopes the same way (finish), or,
;;   on the rows path, ∂L/∂w = Σ_k δ_k x_k directly.
;;   Tables are by quad: entry a of quad q at (q·n + a)·16 bytes. Points' table offsets lo, hi are
;;   byte offsets (a·16, c·16).
;; Evaluation (float64, two units per vector: tables64, forward64): the logit differences at every
;;   point for the training accuracy, with its own arrays (W row-major, pair-interleaved tables).
(module
  (import "env" "memory" (memory 1))

  (func $hsum (param $v v128) (result f32)
    (f32.add (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
             (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  ;; t[i] = Σ lanes of s4[i] + c, for i < n.
  (func $reduce (param $n i32) (param $pS4 i32) (param $c f32) (param $pT i32)
    (local $i i32)
    (local.set $i (i32.const 0))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (f32.store (i32.add (local.get $pT) (i32.shl (local.get $i) (i32.const 2)))
        (f32.add (call $hsum (v128.load (i32.add (local.get $pS4) (i32.shl (local.get $i) (i32.const 4))))) (local.get $c)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l))))

  ;; vd[q] = W_2[1][q] − W_2[0][q] for the quads.
  (func $outputDiff (param $Hq i32) (param $pV0 i32) (param $pV1 i32) (param $pVd i32)
    (local $o i32) (local $end i32)
    (local.set $end (i32.shl (local.get $Hq) (i32.const 4)))
    (local.set $o (i32.const 0))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
      (v128.store (i32.add (local.get $pVd) (local.get $o))
        (f32x4.sub (v128.load (i32.add (local.get $pV1) (local.get $o))) (v128.load (i32.add (local.get $pV0) (local.get $o)))))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br $l))))

;; Every quad's tables (and vd), for the grid path (quadTables below, quad by quad).
  (func (export "tables")
    (param $Hq i32) (param $d i32) (param $dp i32) (param $L i32) (param $pAT i32) (param $pW i32) (param $pB i32)
    (param $pV0 i32) (param $pV1 i32) (param $pVd i32) (param $pPlo i32) (param $pPhi i32) (param $pU i32)
    (local $q i32)
    (call $outputDiff (local.get $Hq) (local.get $pV0) (local.get $pV1) (local.get $pVd))
    (local.set $q (i32.const 0))
    (block $qdone (loop $qloop
      (br_if $qdone (i32.ge_u (local.get $q) (local.get $Hq)))
      (call $quadTables (local.get $q) (local.get $d) (local.get $dp) (local.get $L) (local.get $pAT) (local.get $pW) (local.get $pB)
        (i32.add (local.get $pPlo) (i32.shl (i32.shl (local.get $q) (local.get $L)) (i32.const 4)))
        (i32.add (local.get $pPhi) (i32.shl (i32.shl (local.get $q) (i32.sub (local.get $d) (local.get $L))) (i32.const 4)))
        (local.get $pU))
      (local.set $q (i32.add (local.get $q) (i32.const 1)))
      (br $qloop))))

  ;; Quad q's tables at plo and phi: u = Aᵀw (AT = Aᵀ: dp × d float32, row-major, rows beyond d
  ;; zero; u into U: dp vectors), then the low table over bits 0 … L−1 and the high one over bits
  ;; L … d−1 (bit b is coordinate d−1−b): entry 0 = Σ of u over the table's coordinates (+ b_1 in the
  ;; high table), and for each bit b of the table in turn, entries m + 2^b = entries m − 2u[coordinate
  ;; of b] (that sign flipped).
  (func $quadTables
    (param $q i32) (param $d i32) (param $dp i32) (param $L i32) (param $pAT i32) (param $pW i32) (param $pB i32)
    (param $plo i32) (param $phi i32) (param $pU i32)
    (call $matvec (local.get $d) (local.get $dp) (local.get $pAT)
      (i32.add (local.get $pW) (i32.shl (i32.mul (local.get $q) (local.get $dp)) (i32.const 4))) (local.get $pU))
    (call $half (local.get $d) (i32.const 0) (local.get $L) (local.get $pU) (local.get $plo) (f32x4.splat (f32.const 0)))
    (call $half (local.get $d) (local.get $L) (local.get $d) (local.get $pU) (local.get $phi)
      (v128.load (i32.add (local.get $pB) (i32.shl (local.get $q) (i32.const 4))))))

  ;; out[i] = Σ_r M[i][r] v[r] for i < dp, four rows i at a time: M dp × d float32 row-major
  ;; (splatted; rows beyond d zero), v d vectors, out dp vectors.
  (func $matvec (param $d i32) (param $dp i32) (param $pM i32) (param $pV i32) (param $pOut i32)
    (local $m i32) (local $x i32) (local $vend i32) (local $o i32) (local $oend i32) (local $rs i32)
    (local $xv v128) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $rs (i32.shl (local.get $d) (i32.const 2)))
    (local.set $vend (i32.add (local.get $pV) (i32.shl (local.get $d) (i32.const 4))))
    (local.set $o (local.get $pOut))
    (local.set $oend (i32.add (local.get $pOut) (i32.shl (local.get $dp) (i32.const 4))))
    (local.set $m (local.get $pM))
    (block $odone (loop $oloop
      (br_if $odone (i32.ge_u (local.get $o) (local.get $oend)))
      (local.set $a0 (f32x4.splat (f32.const 0)))
      (local.set $a1 (f32x4.splat (f32.const 0)))
      (local.set $a2 (f32x4.splat (f32.const 0)))
      (local.set $a3 (f32x4.splat (f32.const 0)))
      (local.set $x (local.get $pV))
      (block $rdone (loop $rloop
        (br_if $rdone (i32.ge_u (local.get $x) (local.get $vend)))
        (local.set $xv (v128.load (local.get $x)))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load32_splat (local.get $m)) (local.get $xv))))
        (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (v128.load32_splat (i32.add (local.get $m) (local.get $rs))) (local.get $xv))))
        (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul
          (v128.load32_splat (i32.add (local.get $m) (i32.shl (local.get $rs) (i32.const 1)))) (local.get $xv))))
        (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul
          (v128.load32_splat (i32.add (local.get $m) (i32.mul (local.get $rs) (i32.const 3)))) (local.get $xv))))
        (local.set $m (i32.add (local.get $m) (i32.const 4)))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (br $rloop)))
      (v128.store (local.get $o) (local.get $a0))
      (v128.store offset=16 (local.get $o) (local.get $a1))
      (v128.store offset=32 (local.get $o) (local.get $a2))
      (v128.store offset=48 (local.get $o) (local.get $a3))
      ;; $m has walked one row; skip the other three.
      (local.set $m (i32.add (local.get $m) (i32.mul (local.get $rs) (i32.const 3))))
      (local.set $o (i32.add (local.get $o) (i32.const 64)))
      (br $oloop))))

  ;; One table at $t over bits b0 … b1−1: entry 0 = init + Σ_b u[d−1−b], then doubling per bit.
  (func $half (param $d i32) (param $b0 i32) (param $b1 i32) (param $pU i32) (param $t i32) (param $init v128)
    (local $b i32) (local $src i32) (local $dst i32) (local $end i32) (local $acc v128) (local $u2 v128)
    (local.set $acc (local.get $init))
    (local.set $b (local.get $b0))
    (block $bdone (loop $bloop
      (br_if $bdone (i32.ge_u (local.get $b) (local.get $b1)))
      (local.set $acc (f32x4.add (local.get $acc) (v128.load (i32.add (local.get $pU) (i32.shl (i32.sub (i32.sub (local.get $d) (i32.const 1)) (local.get $b)) (i32.const 4))))))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $bloop)))
    (v128.store (local.get $t) (local.get $acc))
    ;; $dst: the end of the entries built so far (2^(b−b0) of them); copy them shifted by −2u.
    (local.set $dst (i32.add (local.get $t) (i32.const 16)))
    (local.set $b (local.get $b0))
    (block $fdone (loop $floop
      (br_if $fdone (i32.ge_u (local.get $b) (local.get $b1)))
      (local.set $u2 (v128.load (i32.add (local.get $pU) (i32.shl (i32.sub (i32.sub (local.get $d) (i32.const 1)) (local.get $b)) (i32.const 4)))))
      (local.set $u2 (f32x4.add (local.get $u2) (local.get $u2)))
      (local.set $src (local.get $t))
      (local.set $end (local.get $dst))
      (block $mdone (loop $mloop
        (br_if $mdone (i32.ge_u (local.get $src) (local.get $end)))
        (v128.store (local.get $dst) (f32x4.sub (v128.load (local.get $src)) (local.get $u2)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (br $mloop)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $floop))))

;; Batch forward, quad by quad: the quad's tables (as `tables` builds them, kept for the backward
  ;; pass), then t[i] += Σ_{j in quad} vd_j relu(Plo_j[lo_i] + Phi_j[hi_i]) for the B points while
  ;; the tables are in cache; t[i] = Σ + c.
  (func (export "pointsForward")
    (param $Hq i32) (param $d i32) (param $dp i32) (param $L i32) (param $pAT i32) (param $pW i32) (param $pB i32)
    (param $pV0 i32) (param $pV1 i32) (param $pVd i32) (param $pPlo i32) (param $pPhi i32) (param $pU i32)
    (param $B i32) (param $pLo i32) (param $pHi i32) (param $pS4 i32) (param $c f32) (param $pT i32)
    (local $q i32) (local $i i32) (local $plo i32) (local $phi i32) (local $addr i32) (local $vd v128) (local $zero v128)
    (call $outputDiff (local.get $Hq) (local.get $pV0) (local.get $pV1) (local.get $pVd))
    (local.set $zero (f32x4.splat (f32.const 0)))
    (memory.fill (local.get $pS4) (i32.const 0) (i32.shl (local.get $B) (i32.const 4)))
    (local.set $q (i32.const 0))
    (block $qdone (loop $qloop
      (br_if $qdone (i32.ge_u (local.get $q) (local.get $Hq)))
      (local.set $plo (i32.add (local.get $pPlo) (i32.shl (i32.shl (local.get $q) (local.get $L)) (i32.const 4))))
      (local.set $phi (i32.add (local.get $pPhi) (i32.shl (i32.shl (local.get $q) (i32.sub (local.get $d) (local.get $L))) (i32.const 4))))
      (call $quadTables (local.get $q) (local.get $d) (local.get $dp) (local.get $L) (local.get $pAT) (local.get $pW)
        (local.get $pB) (local.get $plo) (local.get $phi) (local.get $pU))
      (local.set $vd (v128.load (i32.add (local.get $pVd) (i32.shl (local.get $q) (i32.const 4)))))
      (local.set $i (i32.const 0))
      (block $idone (loop $iloop
        (br_if $idone (i32.ge_u (local.get $i) (local.get $B)))
        (local.set $addr (i32.add (local.get $pS4) (i32.shl (local.get $i) (i32.const 4))))
        ;; pmax(0, pre) = (0 < pre) ? pre : 0: the ReLU, branch-free.
        (v128.store (local.get $addr) (f32x4.add (v128.load (local.get $addr))
          (f32x4.mul (local.get $vd) (f32x4.pmax (local.get $zero) (f32x4.add
            (v128.load (i32.add (local.get $plo) (i32.load (i32.add (local.get $pLo) (i32.shl (local.get $i) (i32.const 2))))))
            (v128.load (i32.add (local.get $phi) (i32.load (i32.add (local.get $pHi) (i32.shl (local.get $i) (i32.const 2)))))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $iloop)))
      (local.set $q (i32.add (local.get $q) (i32.const 1)))
      (br $qloop)))
    (call $reduce (local.get $B) (local.get $pS4) (local.get $c) (local.get $pT)))

  ;; Batch backward and weight gradients, quad by quad, with the points' slopes g (∂loss/∂t) and
  ;; m = [pre > 0]: per unit j, dv_j = Σ_i g_i m_ji pre_ji, and the sums Tlo_j[lo_i] += g_i m_ji,
  ;; Thi_j[hi_i] += g_i m_ji in one quad's scratch tables (Tlo, Thi: all zero, and left so by
  ;; finishQuad), turned into the quad's gradients at once.
  (func (export "pointsBackward")
    (param $Hq i32) (param $d i32) (param $dp i32) (param $L i32) (param $pA i32) (param $pVd i32)
    (param $pPlo i32) (param $pPhi i32) (param $B i32) (param $pLo i32) (param $pHi i32) (param $pG i32)
    (param $pTlo i32) (param $pThi i32) (param $pU i32) (param $pGW i32) (param $pGB i32) (param $pGV0 i32) (param $pGV1 i32)
    (local $q i32) (local $i i32) (local $plo i32) (local $phi i32) (local $li i32) (local $hi i32) (local $addr i32)
    (local $pre v128) (local $gm v128) (local $dv v128) (local $zero v128)
    (local.set $zero (f32x4.splat (f32.const 0)))
    (local.set $q (i32.const 0))
    (block $qdone (loop $qloop
      (br_if $qdone (i32.ge_u (local.get $q) (local.get $Hq)))
      (local.set $plo (i32.add (local.get $pPlo) (i32.shl (i32.shl (local.get $q) (local.get $L)) (i32.const 4))))
      (local.set $phi (i32.add (local.get $pPhi) (i32.shl (i32.shl (local.get $q) (i32.sub (local.get $d) (local.get $L))) (i32.const 4))))
      (local.set $dv (local.get $zero))
      (local.set $i (i32.const 0))
      (block $idone (loop $iloop
        (br_if $idone (i32.ge_u (local.get $i) (local.get $B)))
        (local.set $li (i32.load (i32.add (local.get $pLo) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $hi (i32.load (i32.add (local.get $pHi) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $pre (f32x4.add (v128.load (i32.add (local.get $plo) (local.get $li))) (v128.load (i32.add (local.get $phi) (local.get $hi)))))
        ;; Branch-free: g_i where pre > 0, else 0 (a lane mask).
        (local.set $gm (v128.and (v128.load32_splat (i32.add (local.get $pG) (i32.shl (local.get $i) (i32.const 2))))
                                 (f32x4.gt (local.get $pre) (local.get $zero))))
        (local.set $dv (f32x4.add (local.get $dv) (f32x4.mul (local.get $gm) (local.get $pre))))
        (local.set $addr (i32.add (local.get $pTlo) (local.get $li)))
        (v128.store (local.get $addr) (f32x4.add (v128.load (local.get $addr)) (local.get $gm)))
        (local.set $addr (i32.add (local.get $pThi) (local.get $hi)))
        (v128.store (local.get $addr) (f32x4.add (v128.load (local.get $addr)) (local.get $gm)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $iloop)))
      (call $finishQuad (local.get $q) (local.get $d) (local.get $dp) (local.get $L) (local.get $pA)
        (v128.load (i32.add (local.get $pVd) (i32.shl (local.get $q) (i32.const 4)))) (local.get $dv)
        (local.get $pTlo) (local.get $pThi) (local.get $pU) (local.get $pGW) (local.get $pGB) (local.get $pGV0) (local.get $pGV1))
      (local.set $q (i32.add (local.get $q) (i32.const 1)))
      (br $qloop))))

  ;; Grid forward: t[k] = Σ_j vd_j relu(Plo_j[a] + Phi_j[c]) + c0 at every point k = c·nlo + a, the
  ;; units taken in blocks of QB quads so that a block's tables and one row of s4 stay in cache.
  (func (export "gridForward")
    (param $Hq i32) (param $nlo i32) (param $nhi i32) (param $QB i32)
    (param $pPlo i32) (param $pPhi i32) (param $pVd i32) (param $pS4 i32) (param $c0 f32) (param $pT i32)
    (local $q0 i32) (local $q1 i32) (local $q i32) (local $c i32) (local $a i32) (local $plo i32) (local $srow i32)
    (local $addr i32) (local $end i32) (local $vd v128) (local $base v128) (local $zero v128)
    (local.set $zero (f32x4.splat (f32.const 0)))
    (memory.fill (local.get $pS4) (i32.const 0) (i32.shl (i32.mul (local.get $nlo) (local.get $nhi)) (i32.const 4)))
    (local.set $end (i32.shl (local.get $nlo) (i32.const 4)))
    (local.set $q0 (i32.const 0))
    (block $bdone (loop $bloop
      (br_if $bdone (i32.ge_u (local.get $q0) (local.get $Hq)))
      (local.set $q1 (select (i32.add (local.get $q0) (local.get $QB)) (local.get $Hq)
        (i32.lt_u (i32.add (local.get $q0) (local.get $QB)) (local.get $Hq))))
      (local.set $c (i32.const 0))
      (block $cdone (loop $cloop
        (br_if $cdone (i32.ge_u (local.get $c) (local.get $nhi)))
        (local.set $srow (i32.add (local.get $pS4) (i32.mul (local.get $c) (local.get $end))))
        (local.set $q (local.get $q0))
        (block $qdone (loop $qloop
          (br_if $qdone (i32.ge_u (local.get $q) (local.get $q1)))
          (local.set $vd (v128.load (i32.add (local.get $pVd) (i32.shl (local.get $q) (i32.const 4)))))
          (local.set $base (v128.load (i32.add (local.get $pPhi) (i32.shl (i32.add (i32.mul (local.get $q) (local.get $nhi)) (local.get $c)) (i32.const 4)))))
          (local.set $plo (i32.add (local.get $pPlo) (i32.mul (local.get $q) (local.get $end))))
          (local.set $a (i32.const 0))
          (block $adone (loop $aloop
            (br_if $adone (i32.ge_u (local.get $a) (local.get $end)))
            (local.set $addr (i32.add (local.get $srow) (local.get $a)))
            (v128.store (local.get $addr) (f32x4.add (v128.load (local.get $addr))
              (f32x4.mul (local.get $vd) (f32x4.pmax (local.get $zero)
                (f32x4.add (v128.load (i32.add (local.get $plo) (local.get $a))) (local.get $base))))))
            (local.set $a (i32.add (local.get $a) (i32.const 16)))
            (br $aloop)))
          (local.set $q (i32.add (local.get $q) (i32.const 1)))
          (br $qloop)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $cloop)))
      (local.set $q0 (local.get $q1))
      (br $bloop)))
    (call $reduce (i32.mul (local.get $nlo) (local.get $nhi)) (local.get $pS4) (local.get $c0) (local.get $pT)))

  ;; Grid backward with slopes g at every point (zero off the batch), per unit j:
  ;;   Dv[j] = Σ_k g_k m_jk pre_jk,  Tlo_j[a] = Σ_c g_(a,c) m_j(a,c),  Thi_j[c] = Σ_a g_(a,c) m_j(a,c)
  ;; (Tlo starts all zero: finish leaves it so).
  (func (export "gridBackward")
    (param $Hq i32) (param $nlo i32) (param $nhi i32) (param $QB i32)
    (param $pPlo i32) (param $pPhi i32) (param $pG i32) (param $pDv i32) (param $pTlo i32) (param $pThi i32)
    (local $q0 i32) (local $q1 i32) (local $q i32) (local $c i32) (local $a i32) (local $plo i32) (local $tlo i32)
    (local $grow i32) (local $addr i32) (local $end i32) (local $dvaddr i32)
    (local $base v128) (local $zero v128) (local $pre v128) (local $gm v128) (local $dv v128) (local $row v128)
    (local.set $zero (f32x4.splat (f32.const 0)))
    (local.set $end (i32.shl (local.get $nlo) (i32.const 4)))
    (memory.fill (local.get $pDv) (i32.const 0) (i32.shl (local.get $Hq) (i32.const 4)))
    (local.set $q0 (i32.const 0))
    (block $bdone (loop $bloop
      (br_if $bdone (i32.ge_u (local.get $q0) (local.get $Hq)))
      (local.set $q1 (select (i32.add (local.get $q0) (local.get $QB)) (local.get $Hq)
        (i32.lt_u (i32.add (local.get $q0) (local.get $QB)) (local.get $Hq))))
      (local.set $c (i32.const 0))
      (block $cdone (loop $cloop
        (br_if $cdone (i32.ge_u (local.get $c) (local.get $nhi)))
        (local.set $grow (i32.add (local.get $pG) (i32.shl (i32.mul (local.get $c) (local.get $nlo)) (i32.const 2))))
        (local.set $q (local.get $q0))
        (block $qdone (loop $qloop
          (br_if $qdone (i32.ge_u (local.get $q) (local.get $q1)))
          (local.set $base (v128.load (i32.add (local.get $pPhi) (i32.shl (i32.add (i32.mul (local.get $q) (local.get $nhi)) (local.get $c)) (i32.const 4)))))
          (local.set $plo (i32.add (local.get $pPlo) (i32.mul (local.get $q) (local.get $end))))
          (local.set $tlo (i32.add (local.get $pTlo) (i32.mul (local.get $q) (local.get $end))))
          (local.set $dvaddr (i32.add (local.get $pDv) (i32.shl (local.get $q) (i32.const 4))))
          (local.set $dv (v128.load (local.get $dvaddr)))
          (local.set $row (local.get $zero))
          (local.set $a (i32.const 0))
          (block $adone (loop $aloop
            (br_if $adone (i32.ge_u (local.get $a) (local.get $end)))
            (local.set $pre (f32x4.add (v128.load (i32.add (local.get $plo) (local.get $a))) (local.get $base)))
            (local.set $gm (v128.and (v128.load32_splat (i32.add (local.get $grow) (i32.shr_u (local.get $a) (i32.const 2))))
                                     (f32x4.gt (local.get $pre) (local.get $zero))))
            (local.set $dv (f32x4.add (local.get $dv) (f32x4.mul (local.get $gm) (local.get $pre))))
            (local.set $row (f32x4.add (local.get $row) (local.get $gm)))
            (local.set $addr (i32.add (local.get $tlo) (local.get $a)))
            (v128.store (local.get $addr) (f32x4.add (v128.load (local.get $addr)) (local.get $gm)))
            (local.set $a (i32.add (local.get $a) (i32.const 16)))
            (br $aloop)))
          (v128.store (local.get $dvaddr) (local.get $dv))
          (v128.store (i32.add (local.get $pThi) (i32.shl (i32.add (i32.mul (local.get $q) (local.get $nhi)) (local.get $c)) (i32.const 4))) (local.get $row))
          (local.set $q (i32.add (local.get $q) (i32.const 1)))
          (br $qloop)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $cloop)))
      (local.set $q0 (local.get $q1))
      (br $bloop))))

;; Weight gradients of quad q from its table sums (vd = W_2[1] − W_2[0], dv from the backward pass):
  ;;   total = Σ_a Tlo[a];  ∂b_1 = vd·total;  ∂W_2[1] = dv, ∂W_2[0] = −dv
  ;;   ∂L/∂u_i = vd (total − 2 Σ_{m with z_i's bit set} T[m])   (Tlo for the low bits, Thi for the high)
  ;;   ∂W_1[r] = Σ_i A[r][i] ∂L/∂u_i
  ;; The sums over "bit set" fold a table in halves from the top bit down; the tables end all zero.
  (func $finishQuad
    (param $q i32) (param $d i32) (param $dp i32) (param $L i32) (param $pA i32) (param $vd v128) (param $dv v128)
    (param $tlo i32) (param $thi i32) (param $pU i32) (param $pGW i32) (param $pGB i32) (param $pGV0 i32) (param $pGV1 i32)
    (local $m i32) (local $end i32) (local $o i32) (local $total v128)
    (local.set $o (i32.shl (local.get $q) (i32.const 4)))
    (local.set $total (f32x4.splat (f32.const 0)))
    (local.set $m (local.get $tlo))
    (local.set $end (i32.add (local.get $tlo) (i32.shl (i32.shl (i32.const 1) (local.get $L)) (i32.const 4))))
    (block $tdone (loop $tloop
      (br_if $tdone (i32.ge_u (local.get $m) (local.get $end)))
      (local.set $total (f32x4.add (local.get $total) (v128.load (local.get $m))))
      (local.set $m (i32.add (local.get $m) (i32.const 16)))
      (br $tloop)))
    (v128.store (i32.add (local.get $pGB) (local.get $o)) (f32x4.mul (local.get $vd) (local.get $total)))
    (v128.store (i32.add (local.get $pGV1) (local.get $o)) (local.get $dv))
    (v128.store (i32.add (local.get $pGV0) (local.get $o)) (f32x4.neg (local.get $dv)))
    (call $fold (local.get $tlo) (i32.shl (i32.const 1) (local.get $L)) (i32.sub (local.get $d) (i32.const 1))
      (local.get $vd) (local.get $total) (local.get $pU))
    (call $fold (local.get $thi) (i32.shl (i32.const 1) (i32.sub (local.get $d) (local.get $L)))
      (i32.sub (i32.sub (local.get $d) (i32.const 1)) (local.get $L)) (local.get $vd) (local.get $total) (local.get $pU))
    (call $matvec (local.get $d) (local.get $dp) (local.get $pA) (local.get $pU)
      (i32.add (local.get $pGW) (i32.shl (i32.mul (local.get $q) (local.get $dp)) (i32.const 4)))))

  ;; finish for every quad after the grid backward pass (Dv, Tlo and Thi per quad).
  (func (export "finish")
    (param $Hq i32) (param $d i32) (param $dp i32) (param $L i32) (param $pA i32) (param $pVd i32) (param $pDv i32)
    (param $pTlo i32) (param $pThi i32) (param $pU i32)
    (param $pGW i32) (param $pGB i32) (param $pGV0 i32) (param $pGV1 i32)
    (local $q i32) (local $o i32)
    (local.set $q (i32.const 0))
    (block $qdone (loop $qloop
      (br_if $qdone (i32.ge_u (local.get $q) (local.get $Hq)))
      (local.set $o (i32.shl (local.get $q) (i32.const 4)))
      (call $finishQuad (local.get $q) (local.get $d) (local.get $dp) (local.get $L) (local.get $pA)
        (v128.load (i32.add (local.get $pVd) (local.get $o))) (v128.load (i32.add (local.get $pDv) (local.get $o)))
        (i32.add (local.get $pTlo) (i32.shl (i32.shl (local.get $q) (local.get $L)) (i32.const 4)))
        (i32.add (local.get $pThi) (i32.shl (i32.shl (local.get $q) (i32.sub (local.get $d) (local.get $L))) (i32.const 4)))
        (local.get $pU) (local.get $pGW) (local.get $pGB) (local.get $pGV0) (local.get $pGV1))
      (local.set $q (i32.add (local.get $q) (i32.const 1)))
      (br $qloop))))

  ;; For a table T of n = 2^k vectors whose bit b is coordinate c0 − b: from the top bit down,
  ;; S = Σ of the upper half (the entries with that bit set, higher bits already folded in),
  ;; ∂L/∂u_{c0−b} = vd (total − 2S) into U, then T[m] += T[m + n/2] and T[m + n/2] = 0: the table
  ;; ends all zero, ready for the next backward pass (which accumulates into it).
  (func $fold (param $t i32) (param $n i32) (param $c0 i32) (param $vd v128) (param $total v128) (param $pU i32)
    (local $b i32) (local $lo i32) (local $up i32) (local $end i32) (local $s v128) (local $x v128)
    (local.set $b (i32.sub (i32.ctz (local.get $n)) (i32.const 1)))
    (block $done (loop $bits
      (br_if $done (i32.lt_u (local.get $n) (i32.const 2)))
      (local.set $n (i32.shr_u (local.get $n) (i32.const 1)))
      (local.set $s (f32x4.splat (f32.const 0)))
      (local.set $lo (local.get $t))
      (local.set $end (i32.add (local.get $t) (i32.shl (local.get $n) (i32.const 4))))
      (local.set $up (local.get $end))
      (block $mdone (loop $mloop
        (br_if $mdone (i32.ge_u (local.get $lo) (local.get $end)))
        (local.set $x (v128.load (local.get $up)))
        (v128.store (local.get $up) (f32x4.splat (f32.const 0)))
        (local.set $s (f32x4.add (local.get $s) (local.get $x)))
        (v128.store (local.get $lo) (f32x4.add (v128.load (local.get $lo)) (local.get $x)))
        (local.set $lo (i32.add (local.get $lo) (i32.const 16)))
        (local.set $up (i32.add (local.get $up) (i32.const 16)))
        (br $mloop)))
      (v128.store (i32.add (local.get $pU) (i32.shl (i32.sub (local.get $c0) (local.get $b)) (i32.const 4)))
        (f32x4.mul (local.get $vd) (f32x4.sub (local.get $total) (f32x4.add (local.get $s) (local.get $s)))))
      (local.set $b (i32.sub (local.get $b) (i32.const 1)))
      (br $bits)))
    (v128.store (local.get $t) (f32x4.splat (f32.const 0))))

  ;; Rows forward: pre_j(x_i) = w_j·x_i + b_j from the batch's rows X (B4 × dp float32, B4 and dp
  ;; multiples of 4, zero-padded), two quads and four points at a time (Hq even), kept in Pre
  ;; (quad-major: entry (q·B4 + i)·16) for the backward pass; t[i] = Σ_j vd_j relu(pre_ji) + c.
  (func (export "rowsForward")
    (param $Hq i32) (param $d i32) (param $dp i32) (param $B4 i32) (param $pX i32) (param $pW i32) (param $pB i32)
    (param $pV0 i32) (param $pV1 i32) (param $pVd i32) (param $pPre i32) (param $pS4 i32) (param $c f32) (param $pT i32)
    (local $q i32) (local $i i32) (local $w i32) (local $wend i32) (local $x i32) (local $row i32) (local $qs i32)
    (local $pre i32) (local $pb i32) (local $s i32)
    (local $b0 v128) (local $b1 v128) (local $vd0 v128) (local $vd1 v128) (local $w0 v128) (local $w1 v128) (local $xv v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128) (local $zero v128)
    (call $outputDiff (local.get $Hq) (local.get $pV0) (local.get $pV1) (local.get $pVd))
    (local.set $zero (f32x4.splat (f32.const 0)))
    (local.set $row (i32.shl (local.get $dp) (i32.const 2)))
    ;; Bytes between the Pre blocks of quads q and q+1, and between W_1's quads q and q+1.
    (local.set $pb (i32.shl (local.get $B4) (i32.const 4)))
    (local.set $qs (i32.shl (local.get $dp) (i32.const 4)))
    (memory.fill (local.get $pS4) (i32.const 0) (local.get $pb))
    (local.set $q (i32.const 0))
    (block $qdone (loop $qloop
      (br_if $qdone (i32.ge_u (local.get $q) (local.get $Hq)))
      (local.set $b0 (v128.load (i32.add (local.get $pB) (i32.shl (local.get $q) (i32.const 4)))))
      (local.set $b1 (v128.load offset=16 (i32.add (local.get $pB) (i32.shl (local.get $q) (i32.const 4)))))
      (local.set $vd0 (v128.load (i32.add (local.get $pVd) (i32.shl (local.get $q) (i32.const 4)))))
      (local.set $vd1 (v128.load offset=16 (i32.add (local.get $pVd) (i32.shl (local.get $q) (i32.const 4)))))
      (local.set $pre (i32.add (local.get $pPre) (i32.mul (local.get $q) (local.get $pb))))
      (local.set $s (local.get $pS4))
      (local.set $i (i32.const 0))
      (block $idone (loop $iloop
        (br_if $idone (i32.ge_u (local.get $i) (local.get $B4)))
        (local.set $x (i32.add (local.get $pX) (i32.mul (local.get $i) (local.get $row))))
        (local.set $a0 (local.get $b0)) (local.set $a1 (local.get $b0)) (local.set $a2 (local.get $b0)) (local.set $a3 (local.get $b0))
        (local.set $c0 (local.get $b1)) (local.set $c1 (local.get $b1)) (local.set $c2 (local.get $b1)) (local.set $c3 (local.get $b1))
        (local.set $w (i32.add (local.get $pW) (i32.mul (local.get $q) (local.get $qs))))
        (local.set $wend (i32.add (local.get $w) (i32.shl (local.get $d) (i32.const 4))))
        (block $rdone (loop $rloop
          (br_if $rdone (i32.ge_u (local.get $w) (local.get $wend)))
          (local.set $w0 (v128.load (local.get $w)))
          (local.set $w1 (v128.load (i32.add (local.get $w) (local.get $qs))))
          (local.set $xv (v128.load32_splat (local.get $x)))
          (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $w0) (local.get $xv))))
          (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $w1) (local.get $xv))))
          (local.set $xv (v128.load32_splat (i32.add (local.get $x) (local.get $row))))
          (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $w0) (local.get $xv))))
          (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $w1) (local.get $xv))))
          (local.set $xv (v128.load32_splat (i32.add (local.get $x) (i32.shl (local.get $row) (i32.const 1)))))
          (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $w0) (local.get $xv))))
          (local.set $c2 (f32x4.add (local.get $c2) (f32x4.mul (local.get $w1) (local.get $xv))))
          (local.set $xv (v128.load32_splat (i32.add (local.get $x) (i32.mul (local.get $row) (i32.const 3)))))
          (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $w0) (local.get $xv))))
          (local.set $c3 (f32x4.add (local.get $c3) (f32x4.mul (local.get $w1) (local.get $xv))))
          (local.set $w (i32.add (local.get $w) (i32.const 16)))
          (local.set $x (i32.add (local.get $x) (i32.const 4)))
          (br $rloop)))
        (v128.store (local.get $pre) (local.get $a0))
        (v128.store offset=16 (local.get $pre) (local.get $a1))
        (v128.store offset=32 (local.get $pre) (local.get $a2))
        (v128.store offset=48 (local.get $pre) (local.get $a3))
        (v128.store (i32.add (local.get $pre) (local.get $pb)) (local.get $c0))
        (v128.store offset=16 (i32.add (local.get $pre) (local.get $pb)) (local.get $c1))
        (v128.store offset=32 (i32.add (local.get $pre) (local.get $pb)) (local.get $c2))
        (v128.store offset=48 (i32.add (local.get $pre) (local.get $pb)) (local.get $c3))
        (v128.store (local.get $s) (f32x4.add (v128.load (local.get $s)) (f32x4.add
          (f32x4.mul (local.get $vd0) (f32x4.pmax (local.get $zero) (local.get $a0)))
          (f32x4.mul (local.get $vd1) (f32x4.pmax (local.get $zero) (local.get $c0))))))
        (v128.store offset=16 (local.get $s) (f32x4.add (v128.load offset=16 (local.get $s)) (f32x4.add
          (f32x4.mul (local.get $vd0) (f32x4.pmax (local.get $zero) (local.get $a1)))
          (f32x4.mul (local.get $vd1) (f32x4.pmax (local.get $zero) (local.get $c1))))))
        (v128.store offset=32 (local.get $s) (f32x4.add (v128.load offset=32 (local.get $s)) (f32x4.add
          (f32x4.mul (local.get $vd0) (f32x4.pmax (local.get $zero) (local.get $a2)))
          (f32x4.mul (local.get $vd1) (f32x4.pmax (local.get $zero) (local.get $c2))))))
        (v128.store offset=48 (local.get $s) (f32x4.add (v128.load offset=48 (local.get $s)) (f32x4.add
          (f32x4.mul (local.get $vd0) (f32x4.pmax (local.get $zero) (local.get $a3)))
          (f32x4.mul (local.get $vd1) (f32x4.pmax (local.get $zero) (local.get $c3))))))
        (local.set $pre (i32.add (local.get $pre) (i32.const 64)))
        (local.set $s (i32.add (local.get $s) (i32.const 64)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $iloop)))
      (local.set $q (i32.add (local.get $q) (i32.const 2)))
      (br $qloop)))
    (call $reduce (local.get $B4) (local.get $pS4) (local.get $c) (local.get $pT)))

  ;; Rows backward for a chunk of B4 points: per quad, gm_i = g_i·[pre_i > 0] (kept in GM: quad q's
  ;; at (q·B4 + i)·16), then, added to the gradient (zeroed before a batch's first chunk):
  ;;   ∂W_1[r] += vd Σ_i gm_i x_i[r] (two quads and four inputs r at a time),  ∂b_1 += vd Σ_i gm_i,
  ;;   ∂W_2[1] += Σ_i gm_i pre_i,  ∂W_2[0] −= Σ_i gm_i pre_i.
  (func (export "rowsBackward")
    (param $Hq i32) (param $dp i32) (param $B4 i32) (param $pX i32) (param $pG i32) (param $pPre i32) (param $pVd i32)
    (param $pGM i32) (param $pGW i32) (param $pGB i32) (param $pGV0 i32) (param $pGV1 i32)
    (local $q i32) (local $i i32) (local $r i32) (local $pre i32) (local $gw i32) (local $o i32) (local $x i32) (local $gmp i32)
    (local $gm0 i32) (local $gmend i32) (local $row i32) (local $pb i32) (local $qs i32) (local $xv v128)
    (local $p v128) (local $gm v128) (local $gn v128) (local $dv v128) (local $gb v128) (local $vd v128) (local $vd1 v128) (local $zero v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local.set $zero (f32x4.splat (f32.const 0)))
    (local.set $row (i32.shl (local.get $dp) (i32.const 2)))
    (local.set $pb (i32.shl (local.get $B4) (i32.const 4)))
    (local.set $qs (i32.shl (local.get $dp) (i32.const 4)))
    ;; Every quad's gm, dv and gb first (one pass over Pre).
    (local.set $q (i32.const 0))
    (block $qdone (loop $qloop
      (br_if $qdone (i32.ge_u (local.get $q) (local.get $Hq)))
      (local.set $o (i32.shl (local.get $q) (i32.const 4)))
      (local.set $pre (i32.add (local.get $pPre) (i32.mul (local.get $q) (local.get $pb))))
      (local.set $gmp (i32.add (local.get $pGM) (i32.mul (local.get $q) (local.get $pb))))
      (local.set $dv (local.get $zero))
      (local.set $gb (local.get $zero))
      (local.set $i (i32.const 0))
      (block $idone (loop $iloop
        (br_if $idone (i32.ge_u (local.get $i) (local.get $B4)))
        (local.set $p (v128.load (i32.add (local.get $pre) (i32.shl (local.get $i) (i32.const 4)))))
        (local.set $gm (v128.and (v128.load32_splat (i32.add (local.get $pG) (i32.shl (local.get $i) (i32.const 2))))
                                 (f32x4.gt (local.get $p) (local.get $zero))))
        (v128.store (i32.add (local.get $gmp) (i32.shl (local.get $i) (i32.const 4))) (local.get $gm))
        (local.set $dv (f32x4.add (local.get $dv) (f32x4.mul (local.get $gm) (local.get $p))))
        (local.set $gb (f32x4.add (local.get $gb) (local.get $gm)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $iloop)))
      (local.set $vd (v128.load (i32.add (local.get $pVd) (local.get $o))))
      (local.set $x (i32.add (local.get $pGB) (local.get $o)))
      (v128.store (local.get $x) (f32x4.add (v128.load (local.get $x)) (f32x4.mul (local.get $vd) (local.get $gb))))
      (local.set $x (i32.add (local.get $pGV1) (local.get $o)))
      (v128.store (local.get $x) (f32x4.add (v128.load (local.get $x)) (local.get $dv)))
      (local.set $x (i32.add (local.get $pGV0) (local.get $o)))
      (v128.store (local.get $x) (f32x4.sub (v128.load (local.get $x)) (local.get $dv)))
      (local.set $q (i32.add (local.get $q) (i32.const 1)))
      (br $qloop)))
    ;; Then ∂W_1 for quads q, q+1 and inputs r … r+3.
    (local.set $q (i32.const 0))
    (block $q2done (loop $q2loop
      (br_if $q2done (i32.ge_u (local.get $q) (local.get $Hq)))
      (local.set $vd (v128.load (i32.add (local.get $pVd) (i32.shl (local.get $q) (i32.const 4)))))
      (local.set $vd1 (v128.load offset=16 (i32.add (local.get $pVd) (i32.shl (local.get $q) (i32.const 4)))))
      (local.set $gm0 (i32.add (local.get $pGM) (i32.mul (local.get $q) (local.get $pb))))
      (local.set $gmend (i32.add (local.get $gm0) (local.get $pb)))
      (local.set $gw (i32.add (local.get $pGW) (i32.mul (local.get $q) (local.get $qs))))
      (local.set $r (i32.const 0))
      (block $rdone (loop $rloop
        (br_if $rdone (i32.ge_u (local.get $r) (local.get $dp)))
        (local.set $a0 (local.get $zero)) (local.set $a1 (local.get $zero)) (local.set $a2 (local.get $zero)) (local.set $a3 (local.get $zero))
        (local.set $c0 (local.get $zero)) (local.set $c1 (local.get $zero)) (local.set $c2 (local.get $zero)) (local.set $c3 (local.get $zero))
        (local.set $x (i32.add (local.get $pX) (i32.shl (local.get $r) (i32.const 2))))
        (local.set $gmp (local.get $gm0))
        (block $i2done (loop $i2loop
          (br_if $i2done (i32.ge_u (local.get $gmp) (local.get $gmend)))
          (local.set $gm (v128.load (local.get $gmp)))
          (local.set $gn (v128.load (i32.add (local.get $gmp) (local.get $pb))))
          (local.set $xv (v128.load32_splat (local.get $x)))
          (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $gm) (local.get $xv))))
          (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $gn) (local.get $xv))))
          (local.set $xv (v128.load32_splat offset=4 (local.get $x)))
          (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $gm) (local.get $xv))))
          (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $gn) (local.get $xv))))
          (local.set $xv (v128.load32_splat offset=8 (local.get $x)))
          (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $gm) (local.get $xv))))
          (local.set $c2 (f32x4.add (local.get $c2) (f32x4.mul (local.get $gn) (local.get $xv))))
          (local.set $xv (v128.load32_splat offset=12 (local.get $x)))
          (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $gm) (local.get $xv))))
          (local.set $c3 (f32x4.add (local.get $c3) (f32x4.mul (local.get $gn) (local.get $xv))))
          (local.set $x (i32.add (local.get $x) (local.get $row)))
          (local.set $gmp (i32.add (local.get $gmp) (i32.const 16)))
          (br $i2loop)))
        (v128.store (local.get $gw) (f32x4.add (v128.load (local.get $gw)) (f32x4.mul (local.get $vd) (local.get $a0))))
        (v128.store offset=16 (local.get $gw) (f32x4.add (v128.load offset=16 (local.get $gw)) (f32x4.mul (local.get $vd) (local.get $a1))))
        (v128.store offset=32 (local.get $gw) (f32x4.add (v128.load offset=32 (local.get $gw)) (f32x4.mul (local.get $vd) (local.get $a2))))
        (v128.store offset=48 (local.get $gw) (f32x4.add (v128.load offset=48 (local.get $gw)) (f32x4.mul (local.get $vd) (local.get $a3))))
        (local.set $x (i32.add (local.get $gw) (local.get $qs)))
        (v128.store (local.get $x) (f32x4.add (v128.load (local.get $x)) (f32x4.mul (local.get $vd1) (local.get $c0))))
        (v128.store offset=16 (local.get $x) (f32x4.add (v128.load offset=16 (local.get $x)) (f32x4.mul (local.get $vd1) (local.get $c1))))
        (v128.store offset=32 (local.get $x) (f32x4.add (v128.load offset=32 (local.get $x)) (f32x4.mul (local.get $vd1) (local.get $c2))))
        (v128.store offset=48 (local.get $x) (f32x4.add (v128.load offset=48 (local.get $x)) (f32x4.mul (local.get $vd1) (local.get $c3))))
        (local.set $gw (i32.add (local.get $gw) (i32.const 64)))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $rloop)))
      (local.set $q (i32.add (local.get $q) (i32.const 2)))
      (br $q2loop))))

  ;; ---- Evaluation in float64 (two units per vector; W: U × d row-major, U even) ----

  ;; For every pair of units: u = Aᵀ W[j] (A: d × d float64; u interleaved in U: 2d float64), then
  ;; the pair-interleaved tables (entry a of unit j at float64 index (j div 2)·2·n + 2a + (j mod 2)).
  (func (export "tables64")
    (param $H i32) (param $d i32) (param $L i32) (param $pA i32) (param $pW i32)
    (param $pLoCoord i32) (param $pHiCoord i32) (param $pPlo i32) (param $pPhi i32) (param $pU i32)
    (local $p i32) (local $i i32) (local $r i32) (local $nlo i32) (local $nhi i32) (local $w0 i32) (local $w1 i32) (local $acc v128)
    (local.set $nlo (i32.shl (i32.const 1) (local.get $L)))
    (local.set $nhi (i32.shl (i32.const 1) (i32.sub (local.get $d) (local.get $L))))
    (local.set $p (i32.const 0))
    (block $pdone (loop $ploop
      (br_if $pdone (i32.ge_u (i32.shl (local.get $p) (i32.const 1)) (local.get $H)))
      (local.set $w0 (i32.add (local.get $pW) (i32.shl (i32.mul (i32.shl (local.get $p) (i32.const 1)) (local.get $d)) (i32.const 3))))
      (local.set $w1 (i32.add (local.get $w0) (i32.shl (local.get $d) (i32.const 3))))
      (local.set $i (i32.const 0))
      (block $idone (loop $iloop
        (br_if $idone (i32.ge_u (local.get $i) (local.get $d)))
        (local.set $acc (f64x2.splat (f64.const 0)))
        (local.set $r (i32.const 0))
        (block $rdone (loop $rloop
          (br_if $rdone (i32.ge_u (local.get $r) (local.get $d)))
          (local.set $acc (f64x2.add (local.get $acc)
            (f64x2.mul (f64x2.splat (f64.load (i32.add (local.get $pA) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $d)) (local.get $i)) (i32.const 3)))))
                       (f64x2.replace_lane 1 (f64x2.splat (f64.load (i32.add (local.get $w0) (i32.shl (local.get $r) (i32.const 3)))))
                                             (f64.load (i32.add (local.get $w1) (i32.shl (local.get $r) (i32.const 3))))))))
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (br $rloop)))
        (v128.store (i32.add (local.get $pU) (i32.shl (local.get $i) (i32.const 4))) (local.get $acc))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $iloop)))
      (call $half64 (local.get $d) (i32.const 0) (local.get $L) (local.get $pU) (local.get $pLoCoord)
        (i32.add (local.get $pPlo) (i32.shl (i32.mul (local.get $p) (local.get $nlo)) (i32.const 4))) (local.get $nlo))
      (call $half64 (local.get $d) (local.get $L) (local.get $d) (local.get $pU) (local.get $pHiCoord)
        (i32.add (local.get $pPhi) (i32.shl (i32.mul (local.get $p) (local.get $nhi)) (i32.const 4))) (local.get $nhi))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $ploop))))

  (func $half64 (param $d i32) (param $b0 i32) (param $b1 i32) (param $pU i32) (param $pCoord i32) (param $t i32) (param $n i32)
    (local $b i32) (local $m i32) (local $acc v128)
    (local.set $acc (f64x2.splat (f64.const 0)))
    (local.set $b (local.get $b0))
    (block $bdone (loop $bloop
      (br_if $bdone (i32.ge_u (local.get $b) (local.get $b1)))
      (local.set $acc (f64x2.add (local.get $acc) (v128.load (i32.add (local.get $pU) (i32.shl (i32.sub (i32.sub (local.get $d) (i32.const 1)) (local.get $b)) (i32.const 4))))))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $bloop)))
    (v128.store (local.get $t) (local.get $acc))
    (local.set $m (i32.const 1))
    (block $mdone (loop $mloop
      (br_if $mdone (i32.ge_u (local.get $m) (local.get $n)))
      (v128.store (i32.add (local.get $t) (i32.shl (local.get $m) (i32.const 4)))
        (f64x2.sub (v128.load (i32.add (local.get $t) (i32.shl (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))) (i32.const 4))))
                   (f64x2.mul (f64x2.splat (f64.const 2)) (v128.load (i32.add (local.get $pU) (i32.shl (i32.load (i32.add (local.get $pCoord) (i32.shl (local.get $m) (i32.const 2)))) (i32.const 4)))))))
      (local.set $m (i32.add (local.get $m) (i32.const 1)))
      (br $mloop))))

  ;; s[c·nlo + a] += Σ_j vd[j] · relu(Plo[j][a] + (Phi[j][c] + b[j])), two units per vector.
  (func (export "forward64")
    (param $H i32) (param $nlo i32) (param $nhi i32)
    (param $pPlo i32) (param $pPhi i32) (param $pB i32) (param $pVd i32) (param $pS i32)
    (local $p i32) (local $c i32) (local $a i32) (local $plo i32) (local $phi i32) (local $srow i32) (local $addr i32)
    (local $vd v128) (local $b v128) (local $base v128) (local $h v128) (local $zero v128)
    (local.set $zero (f64x2.splat (f64.const 0)))
    (local.set $p (i32.const 0))
    (block $pdone (loop $ploop
      (br_if $pdone (i32.ge_u (i32.shl (local.get $p) (i32.const 1)) (local.get $H)))
      (local.set $vd (v128.load (i32.add (local.get $pVd) (i32.shl (local.get $p) (i32.const 4)))))
      (local.set $b (v128.load (i32.add (local.get $pB) (i32.shl (local.get $p) (i32.const 4)))))
      (local.set $plo (i32.add (local.get $pPlo) (i32.shl (i32.mul (local.get $p) (local.get $nlo)) (i32.const 4))))
      (local.set $phi (i32.add (local.get $pPhi) (i32.shl (i32.mul (local.get $p) (local.get $nhi)) (i32.const 4))))
      (local.set $c (i32.const 0))
      (block $cdone (loop $cloop
        (br_if $cdone (i32.ge_u (local.get $c) (local.get $nhi)))
        (local.set $base (f64x2.add (v128.load (i32.add (local.get $phi) (i32.shl (local.get $c) (i32.const 4)))) (local.get $b)))
        (local.set $srow (i32.add (local.get $pS) (i32.shl (i32.mul (local.get $c) (local.get $nlo)) (i32.const 3))))
        (local.set $a (i32.const 0))
        (block $adone (loop $aloop
          (br_if $adone (i32.ge_u (local.get $a) (local.get $nlo)))
          (local.set $h (f64x2.mul (local.get $vd)
            (f64x2.pmax (local.get $zero) (f64x2.add (v128.load (i32.add (local.get $plo) (i32.shl (local.get $a) (i32.const 4)))) (local.get $base)))))
          (local.set $addr (i32.add (local.get $srow) (i32.shl (local.get $a) (i32.const 3))))
          (f64.store (local.get $addr) (f64.add (f64.load (local.get $addr))
            (f64.add (f64x2.extract_lane 0 (local.get $h)) (f64x2.extract_lane 1 (local.get $h)))))
          (local.set $a (i32.add (local.get $a) (i32.const 1)))
          (br $aloop)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $cloop)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $ploop))))
)
