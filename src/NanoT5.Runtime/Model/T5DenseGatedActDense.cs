// Ports HuggingFace T5DenseGatedActDense: wo(gelu_new(wi_0 x) * wi_1 x).
using TorchSharp.Utils;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NanoT5.Model;

/// <summary>Gated-GELU feed-forward; keys: <c>wi_0</c>, <c>wi_1</c>, <c>wo</c>.</summary>
public sealed class T5DenseGatedActDense : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "wi_0")] private readonly Linear wi0;
    [ComponentName(Name = "wi_1")] private readonly Linear wi1;
    [ComponentName(Name = "wo")] private readonly Linear wo;
    private readonly double dropout;

    public T5DenseGatedActDense(T5Config config)
        : base(nameof(T5DenseGatedActDense))
    {
        wi0 = nn.Linear(config.DModel, config.DFf, hasBias: false);
        wi1 = nn.Linear(config.DModel, config.DFf, hasBias: false);
        wo = nn.Linear(config.DFf, config.DModel, hasBias: false);
        dropout = config.DropoutRate;
        RegisterComponents();
    }

    internal Linear Wi0 => wi0;

    internal Linear Wi1 => wi1;

    internal Linear Wo => wo;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        // Both input projections in one matmul: (B, T, 2 * d_ff), then split.
        Tensor[] gateAndLinear = Autocast.Linear(input, cat([wi0.weight, wi1.weight], 0)).chunk(2, -1);
        Tensor hidden = nn.functional.gelu(gateAndLinear[0], TorchSharp.Modules.GELU.Approximate.tanh) * gateAndLinear[1];
        if (dropout > 0 && training)
        {
            hidden = nn.functional.dropout(hidden, dropout, training);
        }

        return Autocast.Linear(hidden, wo.weight).MoveToOuterDisposeScope();
    }
}
