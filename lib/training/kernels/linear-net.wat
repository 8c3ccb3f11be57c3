;; The per-step work of the WebAssembly linear trainer (lib/training/linear-fast.ts) for section 6's
;; network Linear(d → H) → identity → Linear(H → 2), in float32 with four hidden units per 128-bit
;; SIMD vector. Assembled to linear-net.wasm by scripts/build-wasm.ts; Adam is kernels/adam.wat.
;;
;; Parameters θ (float32, Hp = H rounded up to a multiple of 4, padding units all zero), row-major
;; "by input": rows r = 0 … d−1 hold H_1ᵀ (row r = input coordinate r over the units), row d holds
;; δ_1, rows d+1 and d+2 the two rows of H_2, then δ_2 (4 floats, 2 used). The gradient has the
;; same layout. The two logits enter the cross-entropy only through their difference
;; t = f_1 − f_0 = w·x + c with w = (H_2[1] − H_2[0]) H_1 and c = (H_2[1] − H_2[0]) δ_1 + δ_2[1] − δ_2[0].
;; The data X are N rows of dp floats (dp = d rounded up to a multiple of 4, zero beyond d).
(module
  (import "env" "memory" (memory 1))

  ;; Σ of the four lanes.
  (func $hsum (param $v v128) (result f32)
    (f32.add (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
             (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

;; vd = H_2[1] − H_2[0] (Hp floats); w[r] = Σ_h vd[h] θ[r][h] for r < d into wc[r], and
  ;; c = Σ_h vd[h] δ_1[h] + δ_2[1] − δ_2[0] into wc[dp]: the logit difference's weights and bias
  ;; (wc[d … dp) stay zero).
  (func (export "compose")
    (param $d i32) (param $dp i32) (param $Hp i32) (param $pTheta i32) (param $pVd i32) (param $pWc i32)
    (local $row i32) (local $q i32) (local $r i32) (local $end i32) (local $h2 i32) (local $acc v128)
    (local.set $end (i32.shl (local.get $Hp) (i32.const 2)))
    (local.set $h2 (i32.add (local.get $pTheta) (i32.mul (i32.add (local.get $d) (i32.const 1)) (local.get $end))))
    (local.set $q (i32.const 0))
    (block $vdone (loop $vloop
      (br_if $vdone (i32.ge_u (local.get $q) (local.get $end)))
      (v128.store (i32.add (local.get $pVd) (local.get $q))
        (f32x4.sub (v128.load (i32.add (i32.add (local.get $h2) (local.get $end)) (local.get $q)))
                   (v128.load (i32.add (local.get $h2) (local.get $q)))))
      (local.set $q (i32.add (local.get $q) (i32.const 16)))
      (br $vloop)))
    (local.set $r (i32.const 0))
    (block $rdone (loop $rloop
      (br_if $rdone (i32.gt_u (local.get $r) (local.get $d)))
      (local.set $row (i32.add (local.get $pTheta) (i32.mul (local.get $r) (local.get $end))))
      (local.set $acc (f32x4.splat (f32.const 0)))
      (local.set $q (i32.const 0))
      (block $qdone (loop $qloop
        (br_if $qdone (i32.ge_u (local.get $q) (local.get $end)))
        (local.set $acc (f32x4.add (local.get $acc)
          (f32x4.mul (v128.load (i32.add (local.get $pVd) (local.get $q)))
                     (v128.load (i32.add (local.get $row) (local.get $q))))))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))
        (br $qloop)))
      ;; Row d is δ_1: its sum goes to wc[dp].
      (f32.store (i32.add (local.get $pWc) (i32.shl (select (local.get $r) (local.get $dp) (i32.lt_u (local.get $r) (local.get $d))) (i32.const 2)))
        (call $hsum (local.get $acc)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rloop)))
    ;; δ_2 starts right after the two H_2 rows.
    (local.set $row (i32.add (local.get $h2) (i32.shl (local.get $end) (i32.const 1))))
    (local.set $q (i32.add (local.get $pWc) (i32.shl (local.get $dp) (i32.const 2))))
    (f32.store (local.get $q) (f32.add (f32.load (local.get $q))
      (f32.sub (f32.load offset=4 (local.get $row)) (f32.load (local.get $row))))))

  ;; t[i] = w·x_{idx[i]} + c for the B batch points (X: N rows of dp floats, zero beyond d).
  (func (export "forward")
    (param $dp i32) (param $B i32) (param $pX i32) (param $pIdx i32) (param $pWc i32) (param $pT i32)
    (local $i i32) (local $r i32) (local $x i32) (local $row i32) (local $acc v128)
    (local.set $row (i32.shl (local.get $dp) (i32.const 2)))
    (local.set $i (i32.const 0))
    (block $idone (loop $iloop
      (br_if $idone (i32.ge_u (local.get $i) (local.get $B)))
      (local.set $x (i32.add (local.get $pX)
        (i32.mul (i32.load (i32.add (local.get $pIdx) (i32.shl (local.get $i) (i32.const 2)))) (local.get $row))))
      (local.set $acc (f32x4.splat (f32.const 0)))
      (local.set $r (i32.const 0))
      (block $rdone (loop $rloop
        (br_if $rdone (i32.ge_u (local.get $r) (local.get $row)))
        (local.set $acc (f32x4.add (local.get $acc)
          (f32x4.mul (v128.load (i32.add (local.get $pWc) (local.get $r))) (v128.load (i32.add (local.get $x) (local.get $r))))))
        (local.set $r (i32.add (local.get $r) (i32.const 16)))
        (br $rloop)))
      (f32.store (i32.add (local.get $pT) (i32.shl (local.get $i) (i32.const 2)))
        (f32.add (call $hsum (local.get $acc)) (f32.load (i32.add (local.get $pWc) (local.get $row)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $iloop))))

  ;; From the slopes g[i] = ∂loss/∂t_i of the B batch points: dw = Σ_i g[i] x_i (dp floats),
  ;; dw[dp] = Σ_i g[i]; then the gradient (θ's layout): row r < d = vd · dw[r], row d (δ_1) =
  ;; vd · dw[dp], H_2 row 1 = Σ_{r<d} dw[r] θ[r] + dw[dp] δ_1, H_2 row 0 = −(row 1), δ_2 = (−dw[dp], dw[dp]).
  (func (export "backward")
    (param $d i32) (param $dp i32) (param $Hp i32) (param $B i32) (param $pX i32) (param $pIdx i32) (param $pG i32)
    (param $pTheta i32) (param $pVd i32) (param $pDw i32) (param $pGrad i32)
    (local $i i32) (local $r i32) (local $q i32) (local $x i32) (local $end i32) (local $gi f32) (local $gs f32)
    (local $row i32) (local $grow i32) (local $g1 i32) (local $s v128) (local $gv v128) (local $addr i32) (local $xrow i32)
    (local.set $xrow (i32.shl (local.get $dp) (i32.const 2)))
    (memory.fill (local.get $pDw) (i32.const 0) (local.get $xrow))
    (local.set $gs (f32.const 0))
    (local.set $i (i32.const 0))
    (block $idone (loop $iloop
      (br_if $idone (i32.ge_u (local.get $i) (local.get $B)))
      (local.set $x (i32.add (local.get $pX)
        (i32.mul (i32.load (i32.add (local.get $pIdx) (i32.shl (local.get $i) (i32.const 2)))) (local.get $xrow))))
      (local.set $gi (f32.load (i32.add (local.get $pG) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $gv (f32x4.splat (local.get $gi)))
      (local.set $gs (f32.add (local.get $gs) (local.get $gi)))
      (local.set $r (i32.const 0))
      (block $rdone (loop $rloop
        (br_if $rdone (i32.ge_u (local.get $r) (local.get $xrow)))
        (local.set $addr (i32.add (local.get $pDw) (local.get $r)))
        (v128.store (local.get $addr) (f32x4.add (v128.load (local.get $addr))
          (f32x4.mul (local.get $gv) (v128.load (i32.add (local.get $x) (local.get $r))))))
        (local.set $r (i32.add (local.get $r) (i32.const 16)))
        (br $rloop)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $iloop)))
    (f32.store (i32.add (local.get $pDw) (local.get $xrow)) (local.get $gs))
    (local.set $end (i32.shl (local.get $Hp) (i32.const 2)))
    (local.set $g1 (i32.add (local.get $pGrad) (i32.mul (i32.add (local.get $d) (i32.const 2)) (local.get $end))))
    (memory.fill (local.get $g1) (i32.const 0) (local.get $end))
    (local.set $r (i32.const 0))
    (block $r2done (loop $r2loop
      (br_if $r2done (i32.gt_u (local.get $r) (local.get $d)))
      (local.set $s (f32x4.splat (f32.load (i32.add (local.get $pDw)
        (i32.shl (select (local.get $r) (local.get $dp) (i32.lt_u (local.get $r) (local.get $d))) (i32.const 2))))))
      (local.set $row (i32.add (local.get $pTheta) (i32.mul (local.get $r) (local.get $end))))
      (local.set $grow (i32.add (local.get $pGrad) (i32.mul (local.get $r) (local.get $end))))
      (local.set $q (i32.const 0))
      (block $qdone (loop $qloop
        (br_if $qdone (i32.ge_u (local.get $q) (local.get $end)))
        (v128.store (i32.add (local.get $grow) (local.get $q))
          (f32x4.mul (v128.load (i32.add (local.get $pVd) (local.get $q))) (local.get $s)))
        (local.set $addr (i32.add (local.get $g1) (local.get $q)))
        (v128.store (local.get $addr) (f32x4.add (v128.load (local.get $addr))
          (f32x4.mul (local.get $s) (v128.load (i32.add (local.get $row) (local.get $q))))))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))
        (br $qloop)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $r2loop)))
    ;; H_2 row 0 = −(row 1).
    (local.set $grow (i32.sub (local.get $g1) (local.get $end)))
    (local.set $q (i32.const 0))
    (block $ndone (loop $nloop
      (br_if $ndone (i32.ge_u (local.get $q) (local.get $end)))
      (v128.store (i32.add (local.get $grow) (local.get $q)) (f32x4.neg (v128.load (i32.add (local.get $g1) (local.get $q)))))
      (local.set $q (i32.add (local.get $q) (i32.const 16)))
      (br $nloop)))
    (local.set $addr (i32.add (local.get $g1) (local.get $end)))
    (f32.store (local.get $addr) (f32.neg (local.get $gs)))
    (f32.store offset=4 (local.get $addr) (local.get $gs))
    (f32.store offset=8 (local.get $addr) (f32.const 0))
    (f32.store offset=12 (local.get $addr) (f32.const 0)))
)
