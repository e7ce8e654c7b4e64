"""Loads a model NanoT5 exported (config.json + model.safetensors) with transformers' T5ForConditionalGeneration and
writes a parity fixture of it: the export's config and weights, fixed random inputs, and HF's encoder output,
logits and loss in fp32. `NanoT5.Runtime parity <folder>` then compares NanoT5's forward on the same weights
with HF's, value by value (the fixture's fp32 tolerances).
"""
import argparse
import json
import os
import shutil


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("model", help="the exported model folder (a run's model/)")
    p.add_argument("out", help="the parity fixture folder to write")
    p.add_argument("--device", default="cuda")
    p.add_argument("--batch", type=int, default=2)
    p.add_argument("--input-length", type=int, default=64)
    p.add_argument("--target-length", type=int, default=16)
    a = p.parse_args()

    import torch
    from safetensors.torch import save_file
    from transformers import T5ForConditionalGeneration

    torch.backends.cuda.matmul.allow_tf32 = False  # fp32 means fp32 on both sides
    model = T5ForConditionalGeneration.from_pretrained(a.model, torch_dtype=torch.float32).to(a.device).eval()
    vocab = model.config.vocab_size
    g = torch.Generator().manual_seed(7)
    input_ids = torch.randint(2, vocab, (a.batch, a.input_length), generator=g)
    attention_mask = torch.ones_like(input_ids)
    labels = torch.randint(2, vocab, (a.batch, a.target_length), generator=g)
    with torch.no_grad():
        out = model(input_ids=input_ids.to(a.device), attention_mask=attention_mask.to(a.device), labels=labels.to(a.device))
    os.makedirs(a.out, exist_ok=True)
    shutil.copy(os.path.join(a.model, "config.json"), a.out)
    shutil.copy(os.path.join(a.model, "model.safetensors"), a.out)
    with open(os.path.join(a.out, "inputs.json"), "w") as f:
        json.dump({"input_ids": input_ids.tolist(), "attention_mask": attention_mask.tolist(), "labels": labels.tolist()}, f)
    with open(os.path.join(a.out, "expected.json"), "w") as f:
        json.dump({"loss": float(out.loss), "source": "transformers T5ForConditionalGeneration.from_pretrained(" + a.model + ")"}, f, indent=2)
    save_file({"logits": out.logits.float().cpu().contiguous(),
               "encoder_hidden_states": out.encoder_last_hidden_state.float().cpu().contiguous()},
              os.path.join(a.out, "expected.safetensors"))
    print(f"hf_export_check: transformers loaded {a.model}; loss {float(out.loss):.6f}; fixture written to {a.out}")


if __name__ == "__main__":
    main()
