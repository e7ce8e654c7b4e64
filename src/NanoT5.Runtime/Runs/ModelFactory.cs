// Builds the model an experiment describes: its architecture (a preset sized to the tokenizer, or a
// HuggingFace config.json), seeded HF init, and optional initial weights (a HF checkpoint, a weights file,
// or a run folder of this project).
using NanoT5.Checkpoints;
using NanoT5.Config;
using NanoT5.Data;
using NanoT5.IO;
using NanoT5.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoT5.Runs;

/// <summary>Creates models from <see cref="ExperimentConfig"/>.</summary>
public static class ModelFactory
{
    /// <summary>The architecture of <paramref name="config"/>, checked against the tokenizer.</summary>
    public static T5Config Architecture(ExperimentConfig config, ITextTokenizer tokenizer)
    {
        string? initFolder = InitFolder(config.Model.InitFrom);
        T5Config architecture =
            !string.IsNullOrWhiteSpace(config.Model.ConfigPath) ? HfConfigFile.Load(config.Model.ConfigPath)
            : initFolder is not null ? HfConfigFile.Load(Path.Combine(initFolder, HfCheckpoint.ConfigName))
            : T5Presets.Get(config.Model.Preset, tokenizer.ModelVocabSize);
        architecture = architecture with { DropoutRate = config.Model.Dropout, Attention = config.Model.Attention, PadTokenId = tokenizer.PadId, EosTokenId = tokenizer.EosId, DecoderStartTokenId = tokenizer.PadId };
        if (architecture.VocabSize < tokenizer.Count)
        {
            throw new InvalidDataException(
                $"model vocab_size {architecture.VocabSize} is smaller than the tokenizer's {tokenizer.Count} ids (pieces plus sentinels); " +
                $"use a config with vocab_size >= {tokenizer.ModelVocabSize}, or a preset (sized to the tokenizer automatically).");
        }

        return architecture;
    }

    /// <summary>A model on <paramref name="device"/>: seeded HF init, then the initial weights if the config names any.</summary>
    public static T5ForConditionalGeneration Create(ExperimentConfig config, ITextTokenizer tokenizer, Device device)
    {
        T5Config architecture = Architecture(config, tokenizer);
        ModelMemory.EnsureFits(architecture, ArchitectureSource(config), ModelMemory.CopiesOnCpu(config.Mode, device));
        torch.manual_seed(config.Seed);
        var model = new T5ForConditionalGeneration(architecture);
        model.InitializeWeights();
        if (!string.IsNullOrWhiteSpace(config.Model.InitFrom))
        {
            HfCheckpoint.LoadWeights(model, InitFolder(config.Model.InitFrom) ?? config.Model.InitFrom);
        }

        model.to(device);
        return model;
    }

    private static string ArchitectureSource(ExperimentConfig config) =>
        !string.IsNullOrWhiteSpace(config.Model.ConfigPath) ? config.Model.ConfigPath
        : !string.IsNullOrWhiteSpace(config.Model.InitFrom) ? config.Model.InitFrom
        : $"model preset {config.Model.Preset}";

    /// <summary>
    /// The checkpoint folder behind an init_from value: a HF folder itself, a run folder's exported model,
    /// or its latest complete checkpoint; null for a plain weights file.
    /// </summary>
    public static string? InitFolder(string? initFrom)
    {
        if (string.IsNullOrWhiteSpace(initFrom))
        {
            return null;
        }

        if (File.Exists(initFrom))
        {
            // A FIFO or device would block the loader forever (or feed it endless bytes).
            return Native.FileKind.IsRegularFile(initFrom) ? null
                : throw new InvalidDataException($"{initFrom}: model.init_from is not a regular file (a FIFO, socket or device); name a weights file or a folder.");
        }

        if (!Directory.Exists(initFrom))
        {
            throw new FileNotFoundException($"{initFrom}: model.init_from names no file or folder.{InitFromHint.For(initFrom)}", initFrom);
        }

        if (File.Exists(Path.Combine(initFrom, HfCheckpoint.ConfigName)))
        {
            return initFrom;
        }

        string exported = Path.Combine(initFrom, RunFolderLayout.ModelDirectory);
        if (File.Exists(Path.Combine(exported, HfCheckpoint.ConfigName)))
        {
            return exported;
        }

        StoredCheckpoint? latest = new TrainingCheckpointStore(initFrom, keepLast: int.MaxValue).FindLatest();
        return latest?.Directory
            ?? throw new FileNotFoundException($"{initFrom}: model.init_from is a folder without config.json, an exported model/ or a complete checkpoint.");
    }
}
