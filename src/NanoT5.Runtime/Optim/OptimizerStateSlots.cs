// Named per-parameter state buffers shared by the optimizers: allocation, listing and restoring.
using static TorchSharp.torch;

namespace NanoT5.Optim;

/// <summary>One kind of state buffer ("exp_avg", "exp_avg_sq_row", ...) for every parameter.</summary>
internal sealed class OptimizerStateSlots : IDisposable
{
    private readonly Tensor?[] buffers;

    public OptimizerStateSlots(string name, IReadOnlyList<OptimizedParameter> parameters, Func<OptimizedParameter, Tensor?> allocate)
    {
        Name = name;
        Parameters = parameters;
        using var noGrad = no_grad();
        buffers = parameters.Select(p => allocate(p)?.DetachFromDisposeScope()).ToArray();
    }

    public string Name { get; }

    public IReadOnlyList<OptimizedParameter> Parameters { get; }

    public Tensor this[int index] => buffers[index] ?? throw new InvalidOperationException($"{Name} has no buffer for {Parameters[index].Name}.");

    public bool Has(int index) => buffers[index] is not null;

    public IEnumerable<(string Name, Tensor Tensor)> Named() =>
        buffers.Select((b, i) => (b, i)).Where(x => x.b is not null).Select(x => ($"{Name}/{Parameters[x.i].Name}", x.b!));

    public void Load(IReadOnlyDictionary<string, Tensor> tensors, string source)
    {
        using var noGrad = no_grad();
        foreach (var (key, buffer) in Named())
        {
            if (!tensors.TryGetValue(key, out Tensor? saved))
            {
                throw new InvalidDataException($"{source}: optimizer state '{key}' is missing (was the checkpoint written by another optimizer or model?).");
            }

            if (!saved.shape.SequenceEqual(buffer.shape))
            {
                throw new InvalidDataException($"{source}: optimizer state '{key}' has shape [{string.Join(", ", saved.shape)}], expected [{string.Join(", ", buffer.shape)}].");
            }

            buffer.copy_(saved);
        }
    }

    public void Dispose()
    {
        foreach (Tensor? b in buffers)
        {
            b?.Dispose();
        }
    }
}
