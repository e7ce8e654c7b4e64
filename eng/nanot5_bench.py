"""Training-step throughput of nanoT5's own PyTorch model (MyT5) and optimizer (AdamWScale), for the side-by-side
table of eng/gpu-check.sh. nanoT5's source is an input (--nanot5-source, a PiotrNawrot/nanoT5 checkout); it is
imported unmodified. The step is nanoT5's: bf16 autocast forward (accelerate's mixed_precision='bf16'), backward,
clip_grad_norm_(1.0), AdamWScale.step(), zero_grad. Prints one JSON line.
"""
import argparse
import json
import os
import statistics
import sys
import time


def nanot5_module(root, name):
    """nanoT5/utils/<name>.py, loaded from its file. Importing it as nanoT5.utils.<name> would run the package's
    __init__, which imports the training stack (hydra, omegaconf, datasets, evaluate, accelerate); the GPU image has
    torch and transformers but not all of those, and the model and optimizer files need only those two."""
    import importlib.util
    path = os.path.join(root, "nanoT5", "utils", name + ".py")
    if not os.path.isfile(path):
        sys.exit(f"nanot5_bench: {path} not found: --nanot5-source must be the root of a PiotrNawrot/nanoT5 checkout")
    spec = importlib.util.spec_from_file_location(f"nanot5_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--nanot5-source", required=True, help="root of a PiotrNawrot/nanoT5 checkout (holds nanoT5/utils/t5_model.py)")
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--input-length", type=int, default=512)
    p.add_argument("--target-length", type=int, default=114)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--compile", action="store_true", help="torch.compile the model (nanoT5's model.compile)")
    p.add_argument("--precision", choices=["bf16", "fp32"], default="bf16")
    p.add_argument("--device", default="cuda")
    # T5-v1.1-base (google/t5-v1_1-base's config.json), written out so no download is needed.
    p.add_argument("--d-model", type=int, default=768)
    p.add_argument("--d-kv", type=int, default=64)
    p.add_argument("--heads", type=int, default=12)
    p.add_argument("--d-ff", type=int, default=2048)
    p.add_argument("--layers", type=int, default=12)
    p.add_argument("--vocab", type=int, default=32128)
    a = p.parse_args()

    import torch
    from transformers import T5Config
    MyT5 = nanot5_module(a.nanot5_source, "t5_model").MyT5
    AdamWScale = nanot5_module(a.nanot5_source, "copied_utils").AdamWScale

    config = T5Config(vocab_size=a.vocab, d_model=a.d_model, d_kv=a.d_kv, d_ff=a.d_ff, num_layers=a.layers,
                      num_decoder_layers=a.layers, num_heads=a.heads, feed_forward_proj="gated-gelu",
                      tie_word_embeddings=False, dropout_rate=0.0, relative_attention_num_buckets=32,
                      relative_attention_max_distance=128)
    # nanoT5's gen_utils.opti_flags turns is_bf16 on for bf16 on a GPU with local_t5, and always enables TF32.
    config.is_bf16 = a.precision == "bf16" and a.device.startswith("cuda")
    torch.manual_seed(2137)
    device = torch.device(a.device)
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    model = MyT5(config).to(device)
    model.train()
    params = sum(p.numel() for p in model.parameters())
    optimizer = AdamWScale(model.parameters(), lr=2e-2, betas=(0.9, 0.999), eps=1e-6, weight_decay=0.0)
    step_model = torch.compile(model) if a.compile else model
    g = torch.Generator().manual_seed(2137)
    input_ids = torch.randint(2, a.vocab, (a.batch, a.input_length), generator=g).to(device)
    attention_mask = torch.ones_like(input_ids)
    labels = torch.randint(2, a.vocab, (a.batch, a.target_length), generator=g).to(device)
    autocast = torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=a.precision == "bf16")

    def sync():
        if device.type == "cuda":
            torch.cuda.synchronize()

    times = []
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats()
    for step in range(a.warmup + a.steps):
        sync()
        start = time.perf_counter()
        with autocast:
            loss = step_model(input_ids=input_ids, attention_mask=attention_mask, labels=labels).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        sync()
        if step >= a.warmup:
            times.append(time.perf_counter() - start)
    s = statistics.median(times)
    peak = torch.cuda.max_memory_allocated() / 2**20 if device.type == "cuda" else float("nan")
    print(json.dumps({"impl": "nanoT5 " + ("compile" if a.compile else "eager"), "precision": a.precision,
                      "parameters": params, "s_per_step": s,
                      "tokens_per_s": a.batch * (a.input_length + a.target_length) / s, "peak_allocated_mib": peak,
                      "torch": torch.__version__, "last_loss": float(loss)}))


if __name__ == "__main__":
    main()
