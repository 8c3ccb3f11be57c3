const tr=require("./dist/lib/training"), r=require("./dist/lib/random"), t6=require("./dist/lib/theorems").theorem6;
(async()=>{ await tr.chooseBackend("wasm");
 for (const B of process.argv.slice(2).map(Number)) { let valid=0; const accs=[]; const t0=Date.now();
 for (let run=0; run<10; run++){
 const g=r.rng([11,run]); const A=t6.scaleLeadingColumns(r.gaussianMatrix(g,12,12),5); const data=t6.hypercubeData(A);
 const N=4096, X=new Float32Array(N*12), y=new Int32Array(N);
 for(let i=0;i<N;i++){ for(let j=0;j<12;j++) X[i*12+j]=data.X.get(j,i); y[i]=data.labels[i]>0?1:0; }
 const res=await tr.trainLinearNet(tr.pytorchInit(g.child(1),12,3000),{X,y,d:12},{hidden:3000,epochs:20,batchSize:B,...tr.PYTORCH_ADAM,formulation:"composed"}, g.child(2));
 if (res.accuracy===1) valid++; accs.push(res.accuracy.toFixed(4)); }
 console.log("B",B,"valid",valid,"/10", ((Date.now()-t0)/10000).toFixed(2),"s/run", accs.join(" ")); }
})();
