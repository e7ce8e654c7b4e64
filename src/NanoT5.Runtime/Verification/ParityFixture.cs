// A golden-output folder in the format of shared/fixtures/t5-parity-tiny (produced by nanoT5's own
// MyT5 and AdamWScale): config.json, model.safetensors, inputs.json, expected.json, expected.safetensors.
using System.Text.Json.Nodes;
using NanoT5.Checkpoints;
using static TorchSharp.torch;

namespace NanoT5.Verification;

/// <summary>The inputs and expected values of one parity fixture.</summary>
public sealed class ParityFixture : IDisposable
{
    private ParityFixture(string folder, JsonObject inputs, JsonObject expected, Dictionary<string, Tensor> expectedTensors)
    {
        Folder = folder;
        Inputs = inputs;
        Expected = expected;
        ExpectedTensors = expectedTensors;
    }

    /// <summary>The fixture folder.</summary>
    public string Folder { get; }

    /// <summary>inputs.json.</summary>
    public JsonObject Inputs { get; }

    /// <summary>expected.json.</summary>
    public JsonObject Expected { get; }

    /// <summary>expected.safetensors, by name.</summary>
    public IReadOnlyDictionary<string, Tensor> ExpectedTensors { get; }

    /// <summary>Reads a fixture folder; errors name the missing or malformed file.</summary>
    public static ParityFixture Load(string folder)
    {
        foreach (string name in new[] { "config.json", "model.safetensors", "inputs.json", "expected.json", "expected.safetensors" })
        {
            if (!File.Exists(Path.Combine(folder, name)))
            {
                throw new FileNotFoundException($"{Path.Combine(folder, name)}: a parity fixture needs this file.");
            }
        }

        JsonObject inputs = ReadJson(Path.Combine(folder, "inputs.json"));
        JsonObject expected = ReadJson(Path.Combine(folder, "expected.json"));
        var tensors = SafeTensorsFile.Load(Path.Combine(folder, "expected.safetensors"))
            .ToDictionary(t => t.Name, t => t.Tensor, StringComparer.Ordinal);
        return new ParityFixture(folder, inputs, expected, tensors);
    }

    /// <summary>An integer matrix of inputs.json as an int64 tensor (B, T).</summary>
    public Tensor InputTensor(string name)
    {
        JsonArray rows = Inputs[name] as JsonArray ?? throw new InvalidDataException($"{Path.Combine(Folder, "inputs.json")}: missing array '{name}'.");
        long[][] values = rows.Select(r => r!.AsArray().Select(v => v!.GetValue<long>()).ToArray()).ToArray();
        long width = values[0].Length;
        if (values.Any(r => r.Length != width))
        {
            throw new InvalidDataException($"{Path.Combine(Folder, "inputs.json")}: rows of '{name}' differ in length.");
        }

        return tensor(values.SelectMany(r => r).ToArray(), [values.Length, width]);
    }

    /// <summary>A number of expected.json (dotted path; array elements by index, e.g. optimizer.betas.0).</summary>
    public double ExpectedScalar(string path) =>
        Find(path)?.GetValue<double>() ?? throw new InvalidDataException($"{Path.Combine(Folder, "expected.json")}: missing number '{path}'.");

    /// <summary>Whether expected.json has a value at the dotted path.</summary>
    public bool HasExpected(string path) => Find(path) is not null;

    private JsonNode? Find(string path)
    {
        JsonNode? node = Expected;
        foreach (string part in path.Split('.'))
        {
            node = node switch
            {
                JsonArray array when int.TryParse(part, out int index) && index < array.Count => array[index],
                JsonObject obj => obj[part],
                _ => null,
            };
        }

        return node;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (Tensor t in ExpectedTensors.Values)
        {
            t.Dispose();
        }
    }

    private static JsonObject ReadJson(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path}: not a JSON object.");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON: {e.Message}", e);
        }
    }
}
