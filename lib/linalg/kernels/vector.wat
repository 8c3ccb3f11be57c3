;; Level-1 vector kernels (BLAS level 1) on float64 arrays in the shared memory: the inner loops of
;; the Householder reflections (kernels/householder.wat) and the triangular solves
;; (kernels/triangular.wat), which import them. Pointers are byte addresses below 2 GiB (the loops
;; compare them as signed integers); two entries per 128-bit SIMD vector (f64x2).
(module
  (import "env" "memory" (memory 1))

  ;; Σ x_i y_i over len entries at px, py.
  (func $dot (export "dot") (param $px i32) (param $py i32) (param $len i32) (result f64)
    (local $end i32) (local $end4 i32) (local $s0 v128) (local $s1 v128) (local $s f64)
    (local.set $end (i32.add (local.get $px) (i32.shl (local.get $len) (i32.const 3))))
    (local.set $end4 (i32.sub (local.get $end) (i32.const 24)))
    (block $done4 (loop $l4
      (br_if $done4 (i32.ge_s (local.get $px) (local.get $end4)))
      (local.set $s0 (f64x2.add (local.get $s0)
        (f64x2.mul (v128.load (local.get $px)) (v128.load (local.get $py)))))
      (local.set $s1 (f64x2.add (local.get $s1)
        (f64x2.mul (v128.load offset=16 (local.get $px)) (v128.load offset=16 (local.get $py)))))
      (local.set $px (i32.add (local.get $px) (i32.const 32)))
      (local.set $py (i32.add (local.get $py) (i32.const 32)))
      (br $l4)))
    (local.set $s0 (f64x2.add (local.get $s0) (local.get $s1)))
    (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $s0)) (f64x2.extract_lane 1 (local.get $s0))))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $px) (local.get $end)))
      (local.set $s (f64.add (local.get $s) (f64.mul (f64.load (local.get $px)) (f64.load (local.get $py)))))
      (local.set $px (i32.add (local.get $px) (i32.const 8)))
      (local.set $py (i32.add (local.get $py) (i32.const 8)))
      (br $l)))
    (local.get $s))

  ;; y += α x over len entries at px, py.
  (func $axpy (export "axpy") (param $alpha f64) (param $px i32) (param $py i32) (param $len i32)
    (local $end i32) (local $end4 i32) (local $a v128)
    (local.set $a (f64x2.splat (local.get $alpha)))
    (local.set $end (i32.add (local.get $px) (i32.shl (local.get $len) (i32.const 3))))
    (local.set $end4 (i32.sub (local.get $end) (i32.const 24)))
    (block $done4 (loop $l4
      (br_if $done4 (i32.ge_s (local.get $px) (local.get $end4)))
      (v128.store (local.get $py)
        (f64x2.add (v128.load (local.get $py)) (f64x2.mul (local.get $a) (v128.load (local.get $px)))))
      (v128.store offset=16 (local.get $py)
        (f64x2.add (v128.load offset=16 (local.get $py)) (f64x2.mul (local.get $a) (v128.load offset=16 (local.get $px)))))
      (local.set $px (i32.add (local.get $px) (i32.const 32)))
      (local.set $py (i32.add (local.get $py) (i32.const 32)))
      (br $l4)))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $px) (local.get $end)))
      (f64.store (local.get $py)
        (f64.add (f64.load (local.get $py)) (f64.mul (local.get $alpha) (f64.load (local.get $px)))))
      (local.set $px (i32.add (local.get $px) (i32.const 8)))
      (local.set $py (i32.add (local.get $py) (i32.const 8)))
      (br $l))))

  ;; x *= α over len entries at px.
  (func $scal (export "scal") (param $alpha f64) (param $px i32) (param $len i32)
    (local $end i32) (local $a v128)
    (local.set $a (f64x2.splat (local.get $alpha)))
    (local.set $end (i32.add (local.get $px) (i32.shl (local.get $len) (i32.const 3))))
    (block $done2 (loop $l2
      (br_if $done2 (i32.ge_s (local.get $px) (i32.sub (local.get $end) (i32.const 8))))
      (v128.store (local.get $px) (f64x2.mul (local.get $a) (v128.load (local.get $px))))
      (local.set $px (i32.add (local.get $px) (i32.const 16)))
      (br $l2)))
    (if (i32.lt_u (local.get $px) (local.get $end))
      (then (f64.store (local.get $px) (f64.mul (local.get $alpha) (f64.load (local.get $px)))))))

  ;; ‖x‖₂ over len entries at px: Σ x_i² directly, and scaled by max |x_i| when that sum overflows
  ;; or underflows (entries beyond about 1e±150), as LAPACK's dnrm2 guards.
  (func $nrm2 (export "nrm2") (param $px i32) (param $len i32) (result f64)
    (local $s f64) (local $scale f64) (local $i i32) (local $p i32) (local $t f64)
    (local.set $s (call $dot (local.get $px) (local.get $px) (local.get $len)))
    (if (i32.and (f64.lt (local.get $s) (f64.const 0x1p+1000)) (f64.gt (local.get $s) (f64.const 0x1p-1000)))
      (then (return (f64.sqrt (local.get $s)))))
    (local.set $scale (f64.const 0))
    (local.set $p (local.get $px))
    (local.set $i (i32.const 0))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
      (local.set $scale (f64.max (local.get $scale) (f64.abs (f64.load (local.get $p)))))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (if (f64.eq (local.get $scale) (f64.const 0)) (then (return (f64.const 0))))
    (local.set $s (f64.const 0))
    (local.set $p (local.get $px))
    (local.set $i (i32.const 0))
    (block $done2 (loop $l2
      (br_if $done2 (i32.ge_u (local.get $i) (local.get $len)))
      (local.set $t (f64.div (f64.load (local.get $p)) (local.get $scale)))
      (local.set $s (f64.add (local.get $s) (f64.mul (local.get $t) (local.get $t))))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l2)))
    (f64.mul (local.get $scale) (f64.sqrt (local.get $s))))

)
