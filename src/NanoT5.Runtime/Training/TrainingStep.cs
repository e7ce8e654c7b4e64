// One optimizer step as nanoT5's train loop does it: forward and backward over grad_acc micro-batches
// (each loss divided by grad_acc), global-L2 clipping, optimizer update, schedule, zeroed gradients.
// A step whose gradients are not finite is skipped (no update) and reported, so the loop can count it.
// Data-parallel: each rank runs its rows of every micro-batch, weighted by its share of the label tokens,
// and the gradients are summed over ranks before clipping, so every rank makes the same update.
using NanoT5.Data;
using NanoT5.Distributed;
using NanoT5.Model;
using NanoT5.Native;
using NanoT5.Optim;
using NanoT5.Optim.Schedules;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NanoT5.Training;

/// <summary>What one optimizer step did.</summary>
/// <param name="Loss">Mean training loss over the micro-batches.</param>
/// <param name="GradNorm">Global L2 norm of the gradients before clipping.</param>
/// <param name="LearningRate">The rate the update used.</param>
/// <param name="Skipped">True when the loss or gradients were not finite and no update was made.</param>
/// <param name="Tokens">Encoder plus decoder positions processed.</param>
public sealed record StepResult(double Loss, double GradNorm, double LearningRate, bool Skipped, long Tokens);

/// <summary>Runs optimizer steps for one model, optimizer and schedule.</summary>
public sealed class TrainingStep(T5ForConditionalGeneration model, IOptimizer optimizer, ILearningRateSchedule schedule, double gradClip, ScalarType? autocastDtype = null, DataParallel? parallel = null)
{
    private readonly List<Parameter> parameters = model.parameters().ToList();

    /// <summary>
    /// Optimizer step number <paramref name="step"/> (0-based) over <paramref name="microBatches"/>
    /// (grad_acc of them; they must already be on the model's device).
    /// </summary>
    public StepResult Run(IReadOnlyList<TrainingBatch> microBatches, long step)
    {
        ArgumentOutOfRangeException.ThrowIfZero(microBatches.Count);
        double lr = schedule.LearningRate(step);
        long tokens = 0;
        StepResult result;
        using (var scope = NewDisposeScope())
        {
            model.train();
            // Summed on the device and read once per step, after the backward passes (a read waits for the GPU).
            Tensor lossSum = zeros(1, dtype: ScalarType.Float64, device: microBatches[0].InputIds.device);
            foreach (TrainingBatch whole in microBatches)
            {
                using var microScope = NewDisposeScope();
                tokens += whole.Tokens;
                TrainingBatch batch = parallel is null ? whole : parallel.Slice(whole);
                double weight = parallel is null ? 1.0 : DataParallel.TokenWeight(whole, batch);
                if (weight == 0 && parallel is not null)
                {
                    continue; // no label tokens in this rank's rows: nothing to add to the sum
                }

                Tensor microLoss;
                using (Autocast.Enable(autocastDtype))
                {
                    microLoss = model.forward(batch.InputIds, batch.AttentionMask, batch.Labels).Loss;
                }

                (parallel is null ? microLoss / microBatches.Count : microLoss * (weight / microBatches.Count)).backward();
                lossSum.add_(microLoss.detach().to(ScalarType.Float64) * weight);
            }

            // The step's one host sync (with the norm below: it decides skipping and the clip factor; nanoT5 reads
            // its loss every step too). Across ranks the loss travels with the gradients in the same all-reduce.
            double lossTotal = lossSum.item<double>();
            if (parallel is not null)
            {
                lossTotal = parallel.SumGradients(parameters, lossTotal);
            }

            double gradNorm = GradientClipping.GlobalNorm(parameters);
            double loss = lossTotal / microBatches.Count;
            bool finite = double.IsFinite(loss) && double.IsFinite(gradNorm);
            if (finite)
            {
                double scale = gradClip > 0 ? GradientClipping.ClipCoefficient(gradNorm, gradClip) : 1.0;
                optimizer.Step(lr, scale);
            }

            model.zero_grad();
            result = new StepResult(loss, gradNorm, lr, !finite, tokens);
        }

        FinalizableHandles.Release();
        return result;
    }

    /// <summary>Global L2 norm of the parameters (for logging).</summary>
    public double WeightsNorm()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return linalg.vector_norm(stack(parameters.Select(p => linalg.vector_norm(p)))).item<float>();
    }
}
