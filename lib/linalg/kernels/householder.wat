;; Householder reflections for the QR factorisation (lib/linalg/householder.ts drives them; the
;; trailing updates are products, kernels/gemm.wat). Column-major float64 matrices, pointers are
;; byte addresses, leading dimensions in elements; the vector loops are kernels/vector.wat's.
;;
;; LAPACK's conventions (dgeqr2, dlarfg, dlarft, dorg2r): the reflector H_j = I − τ_j v_j v_jᵀ has
;; v_j = (0, …, 0, 1, v_{j+1,j}, …, v_{m−1,j}); the factorisation overwrites A with R on and above
;; the diagonal and v_j's entries below the 1 beneath it. R_jj = β_j = −sign(α)·‖(α, x)‖ may be
;; negative: lib/linalg/householder.ts flips signs afterwards (R ← DR, Q ← QD, D = diag(sign R_jj)).
(module
  (import "env" "memory" (memory 1))
  (import "vector" "dot" (func $dot (param i32 i32 i32) (result f64)))
  (import "vector" "axpy" (func $axpy (param f64 i32 i32 i32)))
  (import "vector" "scal" (func $scal (param f64 i32 i32)))
  (import "vector" "nrm2" (func $nrm2 (param i32 i32) (result f64)))

  ;; Applies H = I − τ v vᵀ (v = (1, x) with x the len − 1 entries at pv) to the `cols` columns of
  ;; length len at pc (leading dimension ldc): c ← c − τ (vᵀc) v.
  (func $reflect (param $tau f64) (param $pv i32) (param $len i32) (param $cols i32) (param $pc i32) (param $ldc i32)
    (local $j i32) (local $s f64)
    (if (f64.eq (local.get $tau) (f64.const 0)) (then (return)))
    (local.set $ldc (i32.shl (local.get $ldc) (i32.const 3)))
    (local.set $j (i32.const 0))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $j) (local.get $cols)))
      (local.set $s (f64.mul (local.get $tau) (f64.add (f64.load (local.get $pc))
        (call $dot (local.get $pv) (i32.add (local.get $pc) (i32.const 8)) (i32.sub (local.get $len) (i32.const 1))))))
      (f64.store (local.get $pc) (f64.sub (f64.load (local.get $pc)) (local.get $s)))
      (call $axpy (f64.neg (local.get $s)) (local.get $pv) (i32.add (local.get $pc) (i32.const 8)) (i32.sub (local.get $len) (i32.const 1)))
      (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $l))))

  ;; Unblocked Householder QR of the m×n (m ≥ n) matrix at pA, column by column (LAPACK dgeqr2 with
  ;; dlarfg): R on and above the diagonal, the reflectors' vectors below it, τ_j at pTau.
  (func (export "geqr2") (param $m i32) (param $n i32) (param $pA i32) (param $lda i32) (param $pTau i32)
    (local $j i32) (local $pjj i32) (local $len i32) (local $alpha f64) (local $xnorm f64)
    (local $beta f64) (local $tau f64) (local $big f64) (local $small f64) (local $lda8 i32)
    (local.set $lda8 (i32.shl (local.get $lda) (i32.const 3)))
    (local.set $j (i32.const 0))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
      (local.set $pjj (i32.add (local.get $pA) (i32.add (i32.mul (local.get $j) (local.get $lda8)) (i32.shl (local.get $j) (i32.const 3)))))
      (local.set $len (i32.sub (local.get $m) (local.get $j)))
      (local.set $alpha (f64.load (local.get $pjj)))
      (local.set $xnorm (call $nrm2 (i32.add (local.get $pjj) (i32.const 8)) (i32.sub (local.get $len) (i32.const 1))))
      (local.set $tau (f64.const 0))
      (if (f64.ne (local.get $xnorm) (f64.const 0))
        (then
          ;; β = −sign(α)·hypot(α, ‖x‖), computed without overflow.
          (local.set $big (f64.max (f64.abs (local.get $alpha)) (local.get $xnorm)))
          (local.set $small (f64.div (f64.min (f64.abs (local.get $alpha)) (local.get $xnorm)) (local.get $big)))
          (local.set $beta (f64.mul (local.get $big) (f64.sqrt (f64.add (f64.const 1) (f64.mul (local.get $small) (local.get $small))))))
          (if (f64.ge (local.get $alpha) (f64.const 0)) (then (local.set $beta (f64.neg (local.get $beta)))))
          (local.set $tau (f64.div (f64.sub (local.get $beta) (local.get $alpha)) (local.get $beta)))
          (call $scal (f64.div (f64.const 1) (f64.sub (local.get $alpha) (local.get $beta)))
            (i32.add (local.get $pjj) (i32.const 8)) (i32.sub (local.get $len) (i32.const 1)))
          (call $reflect (local.get $tau) (i32.add (local.get $pjj) (i32.const 8)) (local.get $len)
            (i32.sub (i32.sub (local.get $n) (local.get $j)) (i32.const 1))
            (i32.add (local.get $pjj) (local.get $lda8)) (local.get $lda))
          (f64.store (local.get $pjj) (local.get $beta))))
      (f64.store (i32.add (local.get $pTau) (i32.shl (local.get $j) (i32.const 3))) (local.get $tau))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $l))))

  ;; Q = H_0 H_1 ⋯ H_{k−1} applied to the first q columns of I_m (m×q at pQ, q ≥ k), from the
  ;; reflectors geqr2 left in the m×k matrix at pA (LAPACK dorg2r, into a separate array).
  (func (export "org2r") (param $m i32) (param $k i32) (param $q i32) (param $pA i32) (param $lda i32)
    (param $pTau i32) (param $pQ i32) (param $ldq i32)
    (local $j i32) (local $ldq8 i32) (local $pjj i32) (local $qjj i32)
    (local.set $ldq8 (i32.shl (local.get $ldq) (i32.const 3)))
    (local.set $j (i32.const 0))
    (block $zdone (loop $z
      (br_if $zdone (i32.ge_u (local.get $j) (local.get $q)))
      (memory.fill (i32.add (local.get $pQ) (i32.mul (local.get $j) (local.get $ldq8))) (i32.const 0)
        (i32.shl (local.get $m) (i32.const 3)))
      (f64.store (i32.add (local.get $pQ) (i32.add (i32.mul (local.get $j) (local.get $ldq8)) (i32.shl (local.get $j) (i32.const 3))))
        (f64.const 1))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $z)))
    (local.set $j (local.get $k))
    (block $done (loop $l
      (br_if $done (i32.eqz (local.get $j)))
      (local.set $j (i32.sub (local.get $j) (i32.const 1)))
      (local.set $pjj (i32.add (local.get $pA) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $lda)) (local.get $j)) (i32.const 3))))
      (local.set $qjj (i32.add (local.get $pQ) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $ldq)) (local.get $j)) (i32.const 3))))
      (call $reflect (f64.load (i32.add (local.get $pTau) (i32.shl (local.get $j) (i32.const 3))))
        (i32.add (local.get $pjj) (i32.const 8)) (i32.sub (local.get $m) (local.get $j))
        (i32.sub (local.get $q) (local.get $j)) (local.get $qjj) (local.get $ldq))
      (br $l))))

;; The reflectors of an m×k panel as an explicit matrix V (m×k at pV, leading dimension ldv):
  ;; unit lower trapezoidal, zeros above the diagonal, ones on it, the vectors below.
  (func (export "unpackV") (param $m i32) (param $k i32) (param $pA i32) (param $lda i32)
    (param $pV i32) (param $ldv i32)
    (local $i i32) (local $j i32) (local $pa i32) (local $pv i32)
    (local.set $j (i32.const 0))
    (block $jdone (loop $jl
      (br_if $jdone (i32.ge_u (local.get $j) (local.get $k)))
      (local.set $pa (i32.add (local.get $pA) (i32.shl (i32.mul (local.get $j) (local.get $lda)) (i32.const 3))))
      (local.set $pv (i32.add (local.get $pV) (i32.shl (i32.mul (local.get $j) (local.get $ldv)) (i32.const 3))))
      (memory.fill (local.get $pv) (i32.const 0) (i32.shl (local.get $j) (i32.const 3)))
      (f64.store (i32.add (local.get $pv) (i32.shl (local.get $j) (i32.const 3))) (f64.const 1))
      (local.set $i (i32.add (local.get $j) (i32.const 1)))
      (memory.copy
        (i32.add (local.get $pv) (i32.shl (local.get $i) (i32.const 3)))
        (i32.add (local.get $pa) (i32.shl (local.get $i) (i32.const 3)))
        (i32.shl (i32.sub (local.get $m) (local.get $i)) (i32.const 3)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $jl))))

  ;; The k×k upper triangular T of the compact WY form H_0 ⋯ H_{k−1} = I − V T Vᵀ (LAPACK dlarft,
  ;; forward, columnwise) from the Gram matrix G = VᵀV (k×k at pG, computed by gemm):
  ;; T_jj = τ_j, T[0:j, j] = −τ_j T[0:j, 0:j] G[0:j, j]. Writes T at pT (leading dimension k).
  (func (export "larft") (param $k i32) (param $pG i32) (param $pTau i32) (param $pT i32)
    (local $i i32) (local $j i32) (local $l i32) (local $s f64) (local $tau f64) (local $x f64)
    (memory.fill (local.get $pT) (i32.const 0) (i32.shl (i32.mul (local.get $k) (local.get $k)) (i32.const 3)))
    (local.set $j (i32.const 0))
    (block $jdone (loop $jl
      (br_if $jdone (i32.ge_u (local.get $j) (local.get $k)))
      (local.set $tau (f64.load (i32.add (local.get $pTau) (i32.shl (local.get $j) (i32.const 3)))))
      ;; Row i of T[0:j, 0:j] G[0:j, j]: T is upper triangular, so l runs from i to j − 1.
      (local.set $i (i32.const 0))
      (block $idone (loop $il
        (br_if $idone (i32.ge_u (local.get $i) (local.get $j)))
        (local.set $s (f64.const 0))
        (local.set $l (local.get $i))
        (block $ldone (loop $ll
          (br_if $ldone (i32.ge_u (local.get $l) (local.get $j)))
          (local.set $s (f64.add (local.get $s) (f64.mul
            (f64.load (i32.add (local.get $pT) (i32.shl (i32.add (i32.mul (local.get $l) (local.get $k)) (local.get $i)) (i32.const 3))))
            (f64.load (i32.add (local.get $pG) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $k)) (local.get $l)) (i32.const 3)))))))
          (local.set $l (i32.add (local.get $l) (i32.const 1)))
          (br $ll)))
        (f64.store (i32.add (local.get $pT) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $k)) (local.get $i)) (i32.const 3)))
          (f64.mul (f64.neg (local.get $tau)) (local.get $s)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $il)))
      (f64.store (i32.add (local.get $pT) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $k)) (local.get $j)) (i32.const 3)))
        (local.get $tau))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $jl))))
)
