// A parameter as optimizers see it: its HF name (for no-decay rules and state files) and its decay.
using TorchSharp.Modules;

namespace NanoT5.Optim;

/// <summary>One trainable tensor with its name and weight decay.</summary>
public sealed record OptimizedParameter(string Name, Parameter Parameter, double WeightDecay);
