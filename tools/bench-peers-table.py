#!/usr/bin/python3
"""The markdown table of tools/bench-peers from its JSON lines. Usage:
tools/bench-peers-table.py FILE.jsonl CPU KIND DATE THREADS PADDING ROUNDS
"""
import json, sys, statistics as st, collections
path, cpu, kind, day, threads, padding, rounds = sys.argv[1:]
rows = [json.loads(l) for l in open(path)]
by = collections.defaultdict(list)
for r in rows:
    by[r['who']].append(r)
med = lambda xs: st.median(xs) if xs else float('nan')
fmt = lambda xs: f"{med(xs):,.0f} ({', '.join(f'{v:,.0f}' for v in xs)})"
# the peer: PyTorch in its faster layout (channels_last where measured, as PyTorch's CPU guide advises)
torch_rows = {w: [r['train_samples_per_s_b32'] for r in by.get(w, [])] for w in ('pytorch fp32', 'pytorch fp32 channels_last')}
torch = max((v for v in torch_rows.values() if v), key=lambda v: st.median(v), default=[])
sgemm = [r['sgemm_gflops'] for r in by.get('numpy sgemm', [])]
peak = med(sgemm) if sgemm else None
print(f"# losslab vs its peers on {cpu} ({kind}), {day}")
print()
print(f"`tools/bench-peers {rounds} {threads} {padding}`: the notebook's network (padding {padding}), synthetic 28x28 data, "
      f"Adam, {threads} threads each, {rounds} rounds alternating; medians with each round in brackets. "
      f"PyTorch: {by['pytorch fp32'][0]['peer'] + ' (Debian python3-torch)' if torch else 'not installed'}; "
      f"machine sgemm: {by['numpy sgemm'][0]['peer'] + ' (OpenBLAS)' if sgemm else 'not measured'}.")
print()
print("| who | batch 32, samples/s | batch 128, samples/s | b32 vs PyTorch (faster layout) | training GFLOP/s at b32 | share of numpy sgemm | TF sgemm GFLOP/s |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for who, rs in by.items():
    if who == 'numpy sgemm':
        continue
    b32 = [r['train_samples_per_s_b32'] for r in rs]
    b128 = [r['train_samples_per_s_b128'] for r in rs]
    mflop = next((r['train_mflop_per_sample'] for r in rows if 'train_mflop_per_sample' in r), None)
    gf = med(b32) * mflop / 1e3 if mflop else float('nan')
    tfs = [r['sgemm_gflops'] for r in rs if 'sgemm_gflops' in r]
    print(f"| {who} | {fmt(b32)} | {fmt(b128)} | {med(b32) / med(torch):.2f}x | {gf:.0f} | "
          f"{gf / peak:.2f} | {f'{med(tfs):.0f}' if tfs else '-'} |" if torch and peak else
          f"| {who} | {fmt(b32)} | {fmt(b128)} | - | {gf:.0f} | - | {f'{med(tfs):.0f}' if tfs else '-'} |")
if sgemm:
    print(f"| numpy sgemm 2048^3 | - | - | - | {fmt(sgemm)} | 1.00 | - |")
