;; The one matrix product the routines of lib/linalg are built on (lib/linalg/workspace.ts loads
;; it): C = A·B, C += A·B or C −= A·B for column-major float64 matrices, each possibly a submatrix
;; of a larger one (pointers are byte addresses, leading dimensions in elements). Two rows per
;; 128-bit SIMD vector (f64x2).
;;
;; A is first packed (`pack`, as BLAS libraries do): cut into tiles of 4 rows, each tile stored
;; column after column (tile t, column l at entries (t·k + l)·4 … + 3), rows past m zero. A tile's
;; pass over l then reads contiguous memory, and the same pack serves A, Aᵀ or a submatrix (any
;; row and column strides).
;; Blocking: the inner dimension is cut into chunks of 128 and the rows of C into blocks of 128, so
;; that a 128×128 block of packed A (128 KiB) stays in the second level cache while the columns of
;; B pass by it; within a block, C is computed in tiles of 4 rows × 4 columns held in eight vector
;; registers (wider tiles spill registers in V8 and ran slower), each tile loaded from C, updated
;; over the chunk with its 4 columns of B (4 KiB, first level cache), and stored back.
;; Subtraction: the tile is loaded negated, accumulated, and stored negated: −(−c + Σ ab) = c − Σ ab
;; exactly, so C −= A·B rounds as the direct subtraction would.
;; Edges: a tile reaches past the last row or column of C when m or n is not a multiple of 4. It
;; then reads C beyond its last row (the workspace leaves slack after every array, see
;; lib/linalg/workspace.ts) and repeats the last column of B and C; those lanes and columns are not
;; stored. No FMA (not in WebAssembly SIMD 1.0): every product is rounded before it is added.
(module
  (import "env" "memory" (memory 1))

  ;; Stores the first `rows` ≤ 4 lanes of lo, hi to the column at p.
  (func $store (param $p i32) (param $lo v128) (param $hi v128) (param $rows i32)
    (if (i32.eq (local.get $rows) (i32.const 4))
      (then
        (v128.store (local.get $p) (local.get $lo))
        (v128.store offset=16 (local.get $p) (local.get $hi))
        (return)))
    (v128.store64_lane 0 (local.get $p) (local.get $lo))
    (if (i32.ge_u (local.get $rows) (i32.const 2))
      (then (v128.store64_lane offset=8 1 (local.get $p) (local.get $lo))))
    (if (i32.ge_u (local.get $rows) (i32.const 3))
      (then (v128.store64_lane offset=16 0 (local.get $p) (local.get $hi)))))

;; Packs the m×k matrix S(i, l) = S[i·rs + l·cs] (strides in elements: rs = 1, cs = ld for a
  ;; column-major matrix; rs = ld, cs = 1 for its transpose) into tiles of 4 rows at pP.
  (func (export "pack") (param $m i32) (param $k i32) (param $pS i32) (param $rs i32) (param $cs i32) (param $pP i32)
    (local $i0 i32) (local $l i32) (local $r i32) (local $ps i32) (local $rs8 i32) (local $cs8 i32)
    (local.set $rs8 (i32.shl (local.get $rs) (i32.const 3)))
    (local.set $cs8 (i32.shl (local.get $cs) (i32.const 3)))
    (local.set $i0 (i32.const 0))
    (block $tdone (loop $tloop
      (br_if $tdone (i32.ge_u (local.get $i0) (local.get $m)))
      (local.set $l (i32.const 0))
      (block $ldone (loop $lloop
        (br_if $ldone (i32.ge_u (local.get $l) (local.get $k)))
        (local.set $ps (i32.add (local.get $pS)
          (i32.add (i32.mul (local.get $i0) (local.get $rs8)) (i32.mul (local.get $l) (local.get $cs8)))))
        (local.set $r (i32.const 0))
        (block $rdone (loop $rloop
          (br_if $rdone (i32.ge_u (local.get $r) (i32.const 4)))
          (f64.store (local.get $pP)
            (if (result f64) (i32.lt_u (i32.add (local.get $i0) (local.get $r)) (local.get $m))
              (then (f64.load (local.get $ps))) (else (f64.const 0))))
          (local.set $ps (i32.add (local.get $ps) (local.get $rs8)))
          (local.set $pP (i32.add (local.get $pP) (i32.const 8)))
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (br $rloop)))
        (local.set $l (i32.add (local.get $l) (i32.const 1)))
        (br $lloop)))
      (local.set $i0 (i32.add (local.get $i0) (i32.const 4)))
      (br $tloop))))

  ;; C[0:m, 0:n] (mode 0) =, (mode 1) += or (mode 2) −= A · B[0:k, 0:n], A (m×k) packed at pP.
  (func (export "gemm")
    (param $m i32) (param $n i32) (param $k i32) (param $pA i32)
    (param $pB i32) (param $ldb i32) (param $pC i32) (param $ldc i32) (param $mode i32)
    (local $l0 i32) (local $kc i32) (local $i1 i32) (local $iend i32) (local $j0 i32) (local $i0 i32)
    (local $cols i32) (local $rows i32) (local $ldb8 i32) (local $ldc8 i32)
    (local $clamp1 i32) (local $clamp2 i32) (local $clamp3 i32)
    (local $pa i32) (local $q i32) (local $qend i32)
    (local $pb0 i32) (local $pb1 i32) (local $pb2 i32) (local $pb3 i32)
    (local $pc0 i32) (local $pc1 i32) (local $pc2 i32) (local $pc3 i32)
    (local $sign v128) (local $a0 v128) (local $a1 v128) (local $b v128)
    (local $c00 v128) (local $c10 v128) (local $c01 v128) (local $c11 v128)
    (local $c02 v128) (local $c12 v128) (local $c03 v128) (local $c13 v128)
    (if (i32.or (i32.eqz (local.get $m)) (i32.eqz (local.get $n))) (then (return)))
    (local.set $ldb8 (i32.shl (local.get $ldb) (i32.const 3)))
    (local.set $ldc8 (i32.shl (local.get $ldc) (i32.const 3)))
    (local.set $sign (select (v128.const i64x2 0x8000000000000000 0x8000000000000000) (v128.const i64x2 0 0)
      (i32.eq (local.get $mode) (i32.const 2))))
    ;; C = A·B with k = 0: zero C here (the chunk loop below does not run).
    (if (i32.and (i32.eqz (local.get $k)) (i32.eqz (local.get $mode)))
      (then
        (local.set $j0 (i32.const 0))
        (block $zdone (loop $zloop
          (br_if $zdone (i32.ge_u (local.get $j0) (local.get $n)))
          (memory.fill (i32.add (local.get $pC) (i32.mul (local.get $j0) (local.get $ldc8))) (i32.const 0)
            (i32.shl (local.get $m) (i32.const 3)))
          (local.set $j0 (i32.add (local.get $j0) (i32.const 1)))
          (br $zloop)))
        (return)))
    (local.set $l0 (i32.const 0))
    (block $ldone (loop $lloop
      (br_if $ldone (i32.ge_u (local.get $l0) (local.get $k)))
      (local.set $kc (i32.sub (local.get $k) (local.get $l0)))
      (local.set $kc (select (local.get $kc) (i32.const 128) (i32.lt_u (local.get $kc) (i32.const 128))))
      (local.set $qend (i32.shl (local.get $kc) (i32.const 3)))
      (local.set $i1 (i32.const 0))
      (block $i1done (loop $i1loop
        (br_if $i1done (i32.ge_u (local.get $i1) (local.get $m)))
        (local.set $iend (i32.add (local.get $i1) (i32.const 128)))
        (local.set $iend (select (local.get $m) (local.get $iend) (i32.lt_u (local.get $m) (local.get $iend))))
        (local.set $j0 (i32.const 0))
        (block $jdone (loop $jloop
          (br_if $jdone (i32.ge_u (local.get $j0) (local.get $n)))
          (local.set $cols (i32.sub (local.get $n) (local.get $j0)))
          ;; Columns j0 + c past n repeat the last one (clamp_c = min(c, cols − 1)).
          (local.set $clamp1 (select (i32.const 1) (i32.const 0) (i32.gt_u (local.get $cols) (i32.const 1))))
          (local.set $clamp2 (select (i32.const 2) (local.get $clamp1) (i32.gt_u (local.get $cols) (i32.const 2))))
          (local.set $clamp3 (select (i32.const 3) (local.get $clamp2) (i32.gt_u (local.get $cols) (i32.const 3))))
          (local.set $pb0 (i32.add (local.get $pB)
            (i32.shl (i32.add (local.get $l0) (i32.mul (local.get $j0) (local.get $ldb))) (i32.const 3))))
        (local.set $pb1 (i32.add (local.get $pb0) (i32.mul (local.get $ldb8) (local.get $clamp1))))
        (local.set $pb2 (i32.add (local.get $pb0) (i32.mul (local.get $ldb8) (local.get $clamp2))))
        (local.set $pb3 (i32.add (local.get $pb0) (i32.mul (local.get $ldb8) (local.get $clamp3))))
          (local.set $i0 (local.get $i1))
          (block $idone (loop $iloop
            (br_if $idone (i32.ge_u (local.get $i0) (local.get $iend)))
            (local.set $rows (i32.sub (local.get $m) (local.get $i0)))
            (local.set $rows (select (local.get $rows) (i32.const 4) (i32.lt_u (local.get $rows) (i32.const 4))))
            (local.set $pc0 (i32.add (local.get $pC)
              (i32.shl (i32.add (local.get $i0) (i32.mul (local.get $j0) (local.get $ldc))) (i32.const 3))))
            (local.set $pc1 (i32.add (local.get $pc0) (i32.mul (local.get $ldc8) (local.get $clamp1))))
            (local.set $pc2 (i32.add (local.get $pc0) (i32.mul (local.get $ldc8) (local.get $clamp2))))
            (local.set $pc3 (i32.add (local.get $pc0) (i32.mul (local.get $ldc8) (local.get $clamp3))))
            (if (i32.and (i32.eqz (local.get $l0)) (i32.eqz (local.get $mode)))
              (then
            (local.set $c00 (v128.const i64x2 0 0)) (local.set $c10 (v128.const i64x2 0 0))
            (local.set $c01 (v128.const i64x2 0 0)) (local.set $c11 (v128.const i64x2 0 0))
            (local.set $c02 (v128.const i64x2 0 0)) (local.set $c12 (v128.const i64x2 0 0))
            (local.set $c03 (v128.const i64x2 0 0)) (local.set $c13 (v128.const i64x2 0 0))
              )
              (else
            (local.set $c00 (v128.xor (v128.load (local.get $pc0)) (local.get $sign)))
            (local.set $c10 (v128.xor (v128.load offset=16 (local.get $pc0)) (local.get $sign)))
            (local.set $c01 (v128.xor (v128.load (local.get $pc1)) (local.get $sign)))
            (local.set $c11 (v128.xor (v128.load offset=16 (local.get $pc1)) (local.get $sign)))
            (local.set $c02 (v128.xor (v128.load (local.get $pc2)) (local.get $sign)))
            (local.set $c12 (v128.xor (v128.load offset=16 (local.get $pc2)) (local.get $sign)))
            (local.set $c03 (v128.xor (v128.load (local.get $pc3)) (local.get $sign)))
            (local.set $c13 (v128.xor (v128.load offset=16 (local.get $pc3)) (local.get $sign)))
              ))
            (local.set $pa (i32.add (local.get $pA)
              (i32.shl (i32.add (i32.mul (i32.shr_u (local.get $i0) (i32.const 2)) (local.get $k)) (local.get $l0)) (i32.const 5))))
            (local.set $q (i32.const 0))
            (loop $kloop
              (local.set $a0 (v128.load (local.get $pa)))
              (local.set $a1 (v128.load offset=16 (local.get $pa)))
            (local.set $b (v128.load64_splat (i32.add (local.get $pb0) (local.get $q))))
            (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $a0) (local.get $b))))
            (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $a1) (local.get $b))))
            (local.set $b (v128.load64_splat (i32.add (local.get $pb1) (local.get $q))))
            (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $a0) (local.get $b))))
            (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $a1) (local.get $b))))
            (local.set $b (v128.load64_splat (i32.add (local.get $pb2) (local.get $q))))
            (local.set $c02 (f64x2.add (local.get $c02) (f64x2.mul (local.get $a0) (local.get $b))))
            (local.set $c12 (f64x2.add (local.get $c12) (f64x2.mul (local.get $a1) (local.get $b))))
            (local.set $b (v128.load64_splat (i32.add (local.get $pb3) (local.get $q))))
            (local.set $c03 (f64x2.add (local.get $c03) (f64x2.mul (local.get $a0) (local.get $b))))
            (local.set $c13 (f64x2.add (local.get $c13) (f64x2.mul (local.get $a1) (local.get $b))))
              (local.set $pa (i32.add (local.get $pa) (i32.const 32)))
              (local.set $q (i32.add (local.get $q) (i32.const 8)))
              (br_if $kloop (i32.lt_u (local.get $q) (local.get $qend))))
            (call $store (local.get $pc0) (v128.xor (local.get $c00) (local.get $sign)) (v128.xor (local.get $c10) (local.get $sign)) (local.get $rows))
          (if (i32.gt_u (local.get $cols) (i32.const 1)) (then
            (call $store (local.get $pc1) (v128.xor (local.get $c01) (local.get $sign)) (v128.xor (local.get $c11) (local.get $sign)) (local.get $rows))))
          (if (i32.gt_u (local.get $cols) (i32.const 2)) (then
            (call $store (local.get $pc2) (v128.xor (local.get $c02) (local.get $sign)) (v128.xor (local.get $c12) (local.get $sign)) (local.get $rows))))
          (if (i32.gt_u (local.get $cols) (i32.const 3)) (then
            (call $store (local.get $pc3) (v128.xor (local.get $c03) (local.get $sign)) (v128.xor (local.get $c13) (local.get $sign)) (local.get $rows))))
            (local.set $i0 (i32.add (local.get $i0) (i32.const 4)))
            (br $iloop)))
          (local.set $j0 (i32.add (local.get $j0) (i32.const 4)))
          (br $jloop)))
        (local.set $i1 (local.get $iend))
        (br $i1loop)))
      (local.set $l0 (i32.add (local.get $l0) (i32.const 128)))
      (br $lloop))))
)
