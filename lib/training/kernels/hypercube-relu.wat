;; The per-unit work of HypercubeRelu (lib/training/hypercube-relu.ts) in WebAssembly: building the
;; tables, the forward and backward passes over the batch ("points") or over all 2^d points
;; ("grid"), and turning the backward sums into weight gradients. Assembled to hypercube-relu.wasm by
;; scripts/build-wasm.ts.
;;
;; Point k = c·nlo + a (a: its low sign bits, c: its high ones) has pre-activation
;; Plo[j][a] + Phi[j][c] + b[j] at hidden unit j; nlo = 2^L, nhi = 2^(d−L), L = floor(d/2) ≥ 1.
;; Units go in pairs (H is even; JavaScript pads an odd width with a zero unit), and the passes over
;; points handle both units of a pair at once in the two float64 lanes of a 128-bit SIMD vector.
;; So the per-unit arrays are interleaved by pairs: entry a of unit j of a table lives at float64
;; index (j div 2)·2·n + 2a + (j mod 2) (n = nlo or nhi), which for b, vd and dv is just index j.
;; Everything is float64 (index arrays i32), at the byte offsets passed in.

(module
  (memory (export "memory") 1)

  ;; For every pair of units (j, j+1), both lanes at once: u = Aᵀ W[j] (A: d × d, W: H × d; u
  ;; interleaved in U: 2d float64), then
  ;;   Plo[j][0] = Σ_{b<L} u[d−1−b],  Plo[j][m] = Plo[j][m & (m−1)] − 2 u[loCoord[m]]   (one sign flipped)
  ;; and the same for Phi over bits L…d−1 with hiCoord.
  (func (export "tables")
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
      (call $half (local.get $d) (i32.const 0) (local.get $L) (local.get $pU) (local.get $pLoCoord)
        (i32.add (local.get $pPlo) (i32.shl (i32.mul (local.get $p) (local.get $nlo)) (i32.const 4))) (local.get $nlo))
      (call $half (local.get $d) (local.get $L) (local.get $d) (local.get $pU) (local.get $pHiCoord)
        (i32.add (local.get $pPhi) (i32.shl (i32.mul (local.get $p) (local.get $nhi)) (i32.const 4))) (local.get $nhi))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $ploop))))

  ;; One table pair (v128 entries from $t): entry 0 = Σ_{b0 ≤ b < b1} u[d−1−b], entry m from entry m & (m−1).
  (func $half (param $d i32) (param $b0 i32) (param $b1 i32) (param $pU i32) (param $pCoord i32) (param $t i32) (param $n i32)
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

  ;; Grid forward: s[c·nlo + a] += Σ_j vd[j] · relu(Plo[j][a] + (Phi[j][c] + b[j])), two units per vector.
  (func (export "forward")
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
          ;; pmax(0, pre) = (0 < pre) ? pre : 0, the ReLU with JavaScript's `pre > 0` test, branch-free.
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

  ;; Grid backward, for every unit j, with m = [pre > 0] and the point weights g (zero off the batch):
  ;;   Dv[j] = Σ_k g_k m_jk pre_jk,  Tlo[j][a] = Σ_c g_(a,c) m_j(a,c),  Thi[j][c] = Σ_a g_(a,c) m_j(a,c).
  (func (export "backward")
    (param $H i32) (param $nlo i32) (param $nhi i32)
    (param $pPlo i32) (param $pPhi i32) (param $pB i32) (param $pG i32)
    (param $pDv i32) (param $pTlo i32) (param $pThi i32)
    (local $p i32) (local $c i32) (local $a i32) (local $plo i32) (local $phi i32) (local $grow i32) (local $tlo i32) (local $thi i32) (local $addr i32)
    (local $b v128) (local $base v128) (local $zero v128) (local $pre v128) (local $gm v128) (local $dv v128) (local $row v128)
    (local.set $zero (f64x2.splat (f64.const 0)))
    (local.set $p (i32.const 0))
    (block $pdone (loop $ploop
      (br_if $pdone (i32.ge_u (i32.shl (local.get $p) (i32.const 1)) (local.get $H)))
      (local.set $b (v128.load (i32.add (local.get $pB) (i32.shl (local.get $p) (i32.const 4)))))
      (local.set $plo (i32.add (local.get $pPlo) (i32.shl (i32.mul (local.get $p) (local.get $nlo)) (i32.const 4))))
      (local.set $phi (i32.add (local.get $pPhi) (i32.shl (i32.mul (local.get $p) (local.get $nhi)) (i32.const 4))))
      (local.set $tlo (i32.add (local.get $pTlo) (i32.shl (i32.mul (local.get $p) (local.get $nlo)) (i32.const 4))))
      (local.set $thi (i32.add (local.get $pThi) (i32.shl (i32.mul (local.get $p) (local.get $nhi)) (i32.const 4))))
      (memory.fill (local.get $tlo) (i32.const 0) (i32.shl (local.get $nlo) (i32.const 4)))
      (local.set $dv (local.get $zero))
      (local.set $c (i32.const 0))
      (block $cdone (loop $cloop
        (br_if $cdone (i32.ge_u (local.get $c) (local.get $nhi)))
        (local.set $base (f64x2.add (v128.load (i32.add (local.get $phi) (i32.shl (local.get $c) (i32.const 4)))) (local.get $b)))
        (local.set $grow (i32.add (local.get $pG) (i32.shl (i32.mul (local.get $c) (local.get $nlo)) (i32.const 3))))
        (local.set $row (local.get $zero))
        (local.set $a (i32.const 0))
        (block $adone (loop $aloop
          (br_if $adone (i32.ge_u (local.get $a) (local.get $nlo)))
          (local.set $pre (f64x2.add (v128.load (i32.add (local.get $plo) (i32.shl (local.get $a) (i32.const 4)))) (local.get $base)))
          (local.set $gm (v128.and (f64x2.splat (f64.load (i32.add (local.get $grow) (i32.shl (local.get $a) (i32.const 3)))))
                                   (f64x2.gt (local.get $pre) (local.get $zero))))
          (local.set $dv (f64x2.add (local.get $dv) (f64x2.mul (local.get $gm) (local.get $pre))))
          (local.set $row (f64x2.add (local.get $row) (local.get $gm)))
          (local.set $addr (i32.add (local.get $tlo) (i32.shl (local.get $a) (i32.const 4))))
          (v128.store (local.get $addr) (f64x2.add (v128.load (local.get $addr)) (local.get $gm)))
          (local.set $a (i32.add (local.get $a) (i32.const 1)))
          (br $aloop)))
        (v128.store (i32.add (local.get $thi) (i32.shl (local.get $c) (i32.const 4))) (local.get $row))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $cloop)))
      (v128.store (i32.add (local.get $pDv) (i32.shl (local.get $p) (i32.const 4))) (local.get $dv))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $ploop))))

  ;; Batch forward: s[i] += Σ_j vd[j] · relu(Plo[j][lo[i]] + Phi[j][hi[i]] + b[j]) for the B points i.
  (func (export "pointsForward")
    (param $H i32) (param $nlo i32) (param $nhi i32) (param $B i32)
    (param $pPlo i32) (param $pPhi i32) (param $pB i32) (param $pVd i32) (param $pLo i32) (param $pHi i32) (param $pS i32)
    (local $p i32) (local $i i32) (local $plo i32) (local $phi i32) (local $addr i32)
    (local $vd v128) (local $b v128) (local $h v128) (local $zero v128)
    (local.set $zero (f64x2.splat (f64.const 0)))
    (local.set $p (i32.const 0))
    (block $pdone (loop $ploop
      (br_if $pdone (i32.ge_u (i32.shl (local.get $p) (i32.const 1)) (local.get $H)))
      (local.set $vd (v128.load (i32.add (local.get $pVd) (i32.shl (local.get $p) (i32.const 4)))))
      (local.set $b (v128.load (i32.add (local.get $pB) (i32.shl (local.get $p) (i32.const 4)))))
      (local.set $plo (i32.add (local.get $pPlo) (i32.shl (i32.mul (local.get $p) (local.get $nlo)) (i32.const 4))))
      (local.set $phi (i32.add (local.get $pPhi) (i32.shl (i32.mul (local.get $p) (local.get $nhi)) (i32.const 4))))
      (local.set $i (i32.const 0))
      (block $idone (loop $iloop
        (br_if $idone (i32.ge_u (local.get $i) (local.get $B)))
        (local.set $h (f64x2.mul (local.get $vd) (f64x2.pmax (local.get $zero) (f64x2.add (f64x2.add
          (v128.load (i32.add (local.get $plo) (i32.shl (i32.load (i32.add (local.get $pLo) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 4))))
          (v128.load (i32.add (local.get $phi) (i32.shl (i32.load (i32.add (local.get $pHi) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 4)))))
          (local.get $b)))))
        (local.set $addr (i32.add (local.get $pS) (i32.shl (local.get $i) (i32.const 3))))
        (f64.store (local.get $addr) (f64.add (f64.load (local.get $addr))
          (f64.add (f64x2.extract_lane 0 (local.get $h)) (f64x2.extract_lane 1 (local.get $h)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $iloop)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $ploop))))

  ;; Batch backward: Dv[j] = Σ_i g_i m_ji pre_ji, Tlo[j][lo[i]] += g_i m_ji, Thi[j][hi[i]] += g_i m_ji.
  (func (export "pointsBackward")
    (param $H i32) (param $nlo i32) (param $nhi i32) (param $B i32)
    (param $pPlo i32) (param $pPhi i32) (param $pB i32) (param $pLo i32) (param $pHi i32) (param $pG i32)
    (param $pDv i32) (param $pTlo i32) (param $pThi i32)
    (local $p i32) (local $i i32) (local $plo i32) (local $phi i32) (local $tlo i32) (local $thi i32)
    (local $li i32) (local $hi i32) (local $addr i32)
    (local $b v128) (local $pre v128) (local $gm v128) (local $dv v128) (local $zero v128)
    (local.set $zero (f64x2.splat (f64.const 0)))
    (local.set $p (i32.const 0))
    (block $pdone (loop $ploop
      (br_if $pdone (i32.ge_u (i32.shl (local.get $p) (i32.const 1)) (local.get $H)))
      (local.set $b (v128.load (i32.add (local.get $pB) (i32.shl (local.get $p) (i32.const 4)))))
      (local.set $plo (i32.add (local.get $pPlo) (i32.shl (i32.mul (local.get $p) (local.get $nlo)) (i32.const 4))))
      (local.set $phi (i32.add (local.get $pPhi) (i32.shl (i32.mul (local.get $p) (local.get $nhi)) (i32.const 4))))
      (local.set $tlo (i32.add (local.get $pTlo) (i32.shl (i32.mul (local.get $p) (local.get $nlo)) (i32.const 4))))
      (local.set $thi (i32.add (local.get $pThi) (i32.shl (i32.mul (local.get $p) (local.get $nhi)) (i32.const 4))))
      (memory.fill (local.get $tlo) (i32.const 0) (i32.shl (local.get $nlo) (i32.const 4)))
      (memory.fill (local.get $thi) (i32.const 0) (i32.shl (local.get $nhi) (i32.const 4)))
      (local.set $dv (local.get $zero))
      (local.set $i (i32.const 0))
      (block $idone (loop $iloop
        (br_if $idone (i32.ge_u (local.get $i) (local.get $B)))
        (local.set $li (i32.shl (i32.load (i32.add (local.get $pLo) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 4)))
        (local.set $hi (i32.shl (i32.load (i32.add (local.get $pHi) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 4)))
        (local.set $pre (f64x2.add (f64x2.add (v128.load (i32.add (local.get $plo) (local.get $li))) (v128.load (i32.add (local.get $phi) (local.get $hi)))) (local.get $b)))
        ;; Branch-free: g_i where pre > 0, else 0 (a lane mask), added everywhere.
        (local.set $gm (v128.and (f64x2.splat (f64.load (i32.add (local.get $pG) (i32.shl (local.get $i) (i32.const 3)))))
                                 (f64x2.gt (local.get $pre) (local.get $zero))))
        (local.set $dv (f64x2.add (local.get $dv) (f64x2.mul (local.get $gm) (local.get $pre))))
        (local.set $addr (i32.add (local.get $tlo) (local.get $li)))
        (v128.store (local.get $addr) (f64x2.add (v128.load (local.get $addr)) (local.get $gm)))
        (local.set $addr (i32.add (local.get $thi) (local.get $hi)))
        (v128.store (local.get $addr) (f64x2.add (v128.load (local.get $addr)) (local.get $gm)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $iloop)))
      (v128.store (i32.add (local.get $pDv) (i32.shl (local.get $p) (i32.const 4))) (local.get $dv))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $ploop))))

  ;; Weight gradients from the backward sums, for every pair of units at once (vd = v_1j − v_0j):
  ;;   total = Σ_a Tlo[j][a];  GB[j] = vd·total
  ;;   ∂L/∂u_i = vd (total − 2 Σ_{m with z_i's bit set} T[j][m])   (Tlo for the low bits, Thi for the high)
  ;;   GW[j][r] = Σ_i A[r][i] ∂L/∂u_i
  ;; The sums over "bit set" fold the table in halves from the top bit down (2n additions per table
  ;; instead of n·log n); the tables are overwritten.
  (func (export "finish")
    (param $H i32) (param $d i32) (param $L i32) (param $pA i32) (param $pVd i32)
    (param $pTlo i32) (param $pThi i32) (param $pU i32) (param $pGW i32) (param $pGB i32)
    (local $p i32) (local $r i32) (local $i i32) (local $m i32) (local $nlo i32) (local $nhi i32) (local $tlo i32) (local $gw i32)
    (local $vd v128) (local $total v128) (local $acc v128)
    (local.set $nlo (i32.shl (i32.const 1) (local.get $L)))
    (local.set $nhi (i32.shl (i32.const 1) (i32.sub (local.get $d) (local.get $L))))
    (local.set $p (i32.const 0))
    (block $pdone (loop $ploop
      (br_if $pdone (i32.ge_u (i32.shl (local.get $p) (i32.const 1)) (local.get $H)))
      (local.set $vd (v128.load (i32.add (local.get $pVd) (i32.shl (local.get $p) (i32.const 4)))))
      (local.set $tlo (i32.add (local.get $pTlo) (i32.shl (i32.mul (local.get $p) (local.get $nlo)) (i32.const 4))))
      (local.set $total (f64x2.splat (f64.const 0)))
      (local.set $m (i32.const 0))
      (block $tdone (loop $tloop
        (br_if $tdone (i32.ge_u (local.get $m) (local.get $nlo)))
        (local.set $total (f64x2.add (local.get $total) (v128.load (i32.add (local.get $tlo) (i32.shl (local.get $m) (i32.const 4))))))
        (local.set $m (i32.add (local.get $m) (i32.const 1)))
        (br $tloop)))
      (v128.store (i32.add (local.get $pGB) (i32.shl (local.get $p) (i32.const 4))) (f64x2.mul (local.get $vd) (local.get $total)))
      (call $fold (local.get $tlo) (local.get $nlo) (i32.sub (local.get $d) (i32.const 1)) (local.get $vd) (local.get $total) (local.get $pU))
      (call $fold (i32.add (local.get $pThi) (i32.shl (i32.mul (local.get $p) (local.get $nhi)) (i32.const 4))) (local.get $nhi)
        (i32.sub (i32.sub (local.get $d) (i32.const 1)) (local.get $L)) (local.get $vd) (local.get $total) (local.get $pU))
      ;; GW rows of units 2p and 2p+1.
      (local.set $gw (i32.add (local.get $pGW) (i32.shl (i32.mul (i32.shl (local.get $p) (i32.const 1)) (local.get $d)) (i32.const 3))))
      (local.set $r (i32.const 0))
      (block $rdone (loop $rloop
        (br_if $rdone (i32.ge_u (local.get $r) (local.get $d)))
        (local.set $acc (f64x2.splat (f64.const 0)))
        (local.set $i (i32.const 0))
        (block $idone (loop $iloop
          (br_if $idone (i32.ge_u (local.get $i) (local.get $d)))
          (local.set $acc (f64x2.add (local.get $acc)
            (f64x2.mul (f64x2.splat (f64.load (i32.add (local.get $pA) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $d)) (local.get $i)) (i32.const 3)))))
                       (v128.load (i32.add (local.get $pU) (i32.shl (local.get $i) (i32.const 4)))))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $iloop)))
        (f64.store (i32.add (local.get $gw) (i32.shl (local.get $r) (i32.const 3))) (f64x2.extract_lane 0 (local.get $acc)))
        (f64.store (i32.add (local.get $gw) (i32.shl (i32.add (local.get $r) (local.get $d)) (i32.const 3))) (f64x2.extract_lane 1 (local.get $acc)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rloop)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $ploop))))

  ;; For a table pair T of n = 2^k v128 entries whose bit q is coordinate c0 − q:
  ;; from the top bit down, S = Σ of the upper half (the entries with that bit set, higher bits
  ;; already folded in), ∂L/∂u_{c0−q} = vd (total − 2S) into U (interleaved), then T[m] += T[m + n/2].
  (func $fold (param $t i32) (param $n i32) (param $c0 i32) (param $vd v128) (param $total v128) (param $pU i32)
    (local $half i32) (local $q i32) (local $m i32) (local $s v128) (local $addr i32)
    (local.set $q (i32.sub (i32.ctz (local.get $n)) (i32.const 1)))
    (block $done (loop $bits
      (br_if $done (i32.lt_u (local.get $n) (i32.const 2)))
      (local.set $half (i32.shr_u (local.get $n) (i32.const 1)))
      (local.set $s (f64x2.splat (f64.const 0)))
      (local.set $m (i32.const 0))
      (block $mdone (loop $mloop
        (br_if $mdone (i32.ge_u (local.get $m) (local.get $half)))
        (local.set $addr (i32.add (local.get $t) (i32.shl (local.get $m) (i32.const 4))))
        (local.set $s (f64x2.add (local.get $s) (v128.load (i32.add (local.get $addr) (i32.shl (local.get $half) (i32.const 4))))))
        (v128.store (local.get $addr) (f64x2.add (v128.load (local.get $addr)) (v128.load (i32.add (local.get $addr) (i32.shl (local.get $half) (i32.const 4))))))
        (local.set $m (i32.add (local.get $m) (i32.const 1)))
        (br $mloop)))
      (v128.store (i32.add (local.get $pU) (i32.shl (i32.sub (local.get $c0) (local.get $q)) (i32.const 4)))
        (f64x2.mul (local.get $vd) (f64x2.sub (local.get $total) (f64x2.mul (f64x2.splat (f64.const 2)) (local.get $s)))))
      (local.set $n (local.get $half))
      (local.set $q (i32.sub (local.get $q) (i32.const 1)))
      (br $bits))))
)
