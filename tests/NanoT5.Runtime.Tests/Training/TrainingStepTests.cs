using NanoT5.Data;
using NanoT5.Model;
using NanoT5.Optim;
using NanoT5.Optim.Schedules;
using NanoT5.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoT5.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class TrainingStepTests
{
    private static readonly T5Config Small = new() { VocabSize = 64, DModel = 32, DKv = 8, DFf = 48, NumLayers = 2, NumDecoderLayers = 2, NumHeads = 4 };

    private static T5ForConditionalGeneration NewModel(int seed)
    {
        torch.manual_seed(seed);
        var model = new T5ForConditionalGeneration(Small);
        model.InitializeWeights();
        return model;
    }

    private static TrainingBatch Batch(Tensor input, Tensor labels) => new(input, ones_like(input), labels);

    [Fact]
    public void Run_WithTwoAccumulatedHalves_UpdatesLikeOneFullBatch()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(21);
        Tensor input = randint(2, 64, [4, 10]);
        Tensor labels = randint(2, 64, [4, 6]);
        using var whole = NewModel(1);
        using var halves = NewModel(1);
        using var wholeOptimizer = new AdamWScale(whole.named_parameters().Select(p => new OptimizedParameter(p.name, p.parameter, 0)).ToList(), new AdamWScaleOptions());
        using var halvesOptimizer = new AdamWScale(halves.named_parameters().Select(p => new OptimizedParameter(p.name, p.parameter, 0)).ToList(), new AdamWScaleOptions());
        var schedule = new ConstantSchedule(1e-2);

        StepResult one = new TrainingStep(whole, wholeOptimizer, schedule, gradClip: 1.0).Run([Batch(input, labels)], 0);
        StepResult two = new TrainingStep(halves, halvesOptimizer, schedule, gradClip: 1.0).Run(
            [Batch(input[..2], labels[..2]), Batch(input[2..], labels[2..])], 0);

        // Every row has the same number of labels, so the mean of the halves' losses is the full batch's loss.
        Assert.Equal(one.Loss, two.Loss, 5);
        Assert.Equal(one.GradNorm, two.GradNorm, 4);
        Assert.Equal(one.Tokens, two.Tokens);
        foreach (var ((name, a), (_, b)) in whole.named_parameters().Zip(halves.named_parameters()))
        {
            double diff = (a - b).abs().max().item<float>();
            Assert.True(diff < 1e-5, $"{name} differs by {diff}");
        }
    }

    [Fact]
    public void Run_ReturnsThePreClipNormAndClipsTheUpdateToIt()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(22);
        Tensor input = randint(2, 64, [2, 8]);
        Tensor labels = randint(2, 64, [2, 5]);
        using var model = NewModel(2);
        using var reference = NewModel(2);
        var loss = reference.forward(input, ones_like(input), labels).Loss;
        loss.backward();
        double expectedNorm = GradientClipping.GlobalNorm(reference.parameters());
        using var optimizer = new AdamWScale(model.named_parameters().Select(p => new OptimizedParameter(p.name, p.parameter, 0)).ToList(), new AdamWScaleOptions());

        StepResult result = new TrainingStep(model, optimizer, new ConstantSchedule(1e-2), gradClip: 1.0).Run([Batch(input, labels)], 0);

        Assert.Equal(expectedNorm, result.GradNorm, 4);
        Assert.True(result.GradNorm > 1.0, "the test needs a norm above the clipping threshold");
        Assert.False(result.Skipped);
        Assert.All(model.parameters(), p => Assert.Null(p.grad));
    }

    [Fact]
    public void Run_WithANonFiniteLoss_SkipsTheUpdateAndSaysSo()
    {
        using var scope = NewDisposeScope();
        using var model = NewModel(3);
        using (no_grad())
        {
            model.LmHead.weight[0, 0] = float.NaN;
        }

        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        using var optimizer = new AdamWScale(model.named_parameters().Select(p => new OptimizedParameter(p.name, p.parameter, 0)).ToList(), new AdamWScaleOptions());
        Tensor input = randint(2, 64, [2, 8]);

        StepResult result = new TrainingStep(model, optimizer, new ConstantSchedule(1e-2), 1.0).Run([Batch(input, randint(2, 64, [2, 5]))], 0);

        Assert.True(result.Skipped);
        Assert.Equal(0, optimizer.StepCount);
        foreach (var (name, p) in model.named_parameters().Where(p => p.name != "lm_head.weight"))
        {
            Assert.True(p.Equals(before[name]), name);
        }
    }

    [Fact]
    public void Run_UsesTheScheduleOfTheGivenStep()
    {
        using var scope = NewDisposeScope();
        using var model = NewModel(4);
        using var optimizer = new AdamWScale(model.named_parameters().Select(p => new OptimizedParameter(p.name, p.parameter, 0)).ToList(), new AdamWScaleOptions());
        Tensor input = randint(2, 64, [2, 8]);

        StepResult result = new TrainingStep(model, optimizer, new CosineSchedule(0.02, 100, 1000, 1e-5), 1.0).Run([Batch(input, randint(2, 64, [2, 5]))], step: 50);

        Assert.Equal(0.015, result.LearningRate, 12);
    }

    [Fact]
    public void Autocast_Bf16_RunsMatmulsInBf16WithFp32MasterWeightsAndLoss()
    {
        using var scope = NewDisposeScope();
        using var model = NewModel(5);
        torch.manual_seed(23);
        Tensor input = randint(2, 64, [2, 8]);
        Tensor labels = randint(2, 64, [2, 5]);
        double fp32Loss = model.forward(input, ones_like(input), labels).Loss.item<float>();

        Seq2SeqOutput mixed;
        using (Autocast.Enable(ScalarType.BFloat16))
        {
            mixed = model.forward(input, ones_like(input), labels);
        }

        mixed.Loss.backward();
        Assert.Equal(ScalarType.BFloat16, mixed.Logits.dtype);
        Assert.Equal(ScalarType.Float32, mixed.Loss.dtype);
        Assert.Equal(fp32Loss, mixed.Loss.item<float>(), fp32Loss * 2e-2);
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.grad!.dtype));
        Assert.Null(Autocast.MatmulDtype);
    }
}
