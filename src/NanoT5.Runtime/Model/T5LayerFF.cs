// Ports HuggingFace's T5LayerFF (pre-norm feed-forward sublayer).
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace NanoT5.Model;

/// <summary>x + FF(norm(x)); keys: <c>DenseReluDense</c>, <c>layer_norm</c>.</summary>
public sealed class T5LayerFF : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "DenseReluDense")] private readonly T5DenseGatedActDense denseReluDense;
    [ComponentName(Name = "layer_norm")] private readonly T5LayerNorm layerNorm;
    private readonly double dropout;

    public T5LayerFF(T5Config config)
        : base(nameof(T5LayerFF))
    {
        denseReluDense = new T5DenseGatedActDense(config);
        layerNorm = new T5LayerNorm(config.DModel, config.LayerNormEpsilon);
        dropout = config.DropoutRate;
        RegisterComponents();
    }

    internal T5DenseGatedActDense DenseReluDense => denseReluDense;

    internal T5LayerNorm LayerNorm => layerNorm;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor transformed = denseReluDense.forward(layerNorm.forward(input));
        return (input + Residual.Dropout(transformed, dropout, training)).MoveToOuterDisposeScope();
    }
}
