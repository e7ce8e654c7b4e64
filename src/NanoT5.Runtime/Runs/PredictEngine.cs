// What runs predict's greedy generation.
namespace NanoT5.Runs;

/// <summary>The inference engine of the predict verb.</summary>
public enum PredictEngine
{
    /// <summary>The TorchSharp model of the run's latest checkpoint (or model.init_from).</summary>
    TorchSharp,

    /// <summary>ONNX Runtime on the run's ONNX export (export.directory): no libtorch in the generation loop.</summary>
    Onnx,
}
