;; Upper triangular systems (lib/linalg/triangular.ts): back substitution and the inverse, on
;; column-major float64 matrices (pointers are byte addresses, leading dimensions in elements),
;; column by column so that the inner loop is kernels/vector.wat's axpy over a contiguous column.
(module
  (import "env" "memory" (memory 1))
  (import "vector" "axpy" (func $axpy (param f64 i32 i32 i32)))

  ;; x ← R⁻¹x for the n×n upper triangular R at pR (non-singular; the caller checks) and the n
  ;; entries at pX: for j = n−1, …, 0: x_j ← x_j / R_jj, then x[0:j] −= x_j R[0:j, j].
  (func $trsv (export "trsv") (param $n i32) (param $pR i32) (param $ldr i32) (param $pX i32)
    (local $j i32) (local $pcol i32) (local $px i32) (local $x f64)
    (local.set $j (local.get $n))
    (block $done (loop $l
      (br_if $done (i32.eqz (local.get $j)))
      (local.set $j (i32.sub (local.get $j) (i32.const 1)))
      (local.set $pcol (i32.add (local.get $pR) (i32.shl (i32.mul (local.get $j) (local.get $ldr)) (i32.const 3))))
      (local.set $px (i32.add (local.get $pX) (i32.shl (local.get $j) (i32.const 3))))
      (local.set $x (f64.div (f64.load (local.get $px))
        (f64.load (i32.add (local.get $pcol) (i32.shl (local.get $j) (i32.const 3))))))
      (f64.store (local.get $px) (local.get $x))
      (call $axpy (f64.neg (local.get $x)) (local.get $pcol) (local.get $pX) (local.get $j))
      (br $l))))

  ;; R⁻¹ (n×n at pInv, leading dimension ldi) of the upper triangular R at pR: column j solves
  ;; R y = e_j, whose entries below j are zero, so it is trsv on the leading (j+1)×(j+1) block.
  (func (export "trtri") (param $n i32) (param $pR i32) (param $ldr i32) (param $pInv i32) (param $ldi i32)
    (local $j i32) (local $pcol i32)
    (local.set $j (i32.const 0))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
      (local.set $pcol (i32.add (local.get $pInv) (i32.shl (i32.mul (local.get $j) (local.get $ldi)) (i32.const 3))))
      (memory.fill (local.get $pcol) (i32.const 0) (i32.shl (local.get $n) (i32.const 3)))
      (f64.store (i32.add (local.get $pcol) (i32.shl (local.get $j) (i32.const 3))) (f64.const 1))
      (call $trsv (i32.add (local.get $j) (i32.const 1)) (local.get $pR) (local.get $ldr) (local.get $pcol))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $l))))
)
