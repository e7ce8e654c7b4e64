// nanoT5's eval: mean loss (the held-out NLL) and token accuracy over N validation batches, no gradients.
// Data-parallel: each rank evaluates its rows of every batch (its loss weighted by its share of the label
// tokens) and the sums are added over ranks, giving the one-process numbers on every rank.
using NanoT5.Data;
using NanoT5.Distributed;
using NanoT5.Model;
using static TorchSharp.torch;

namespace NanoT5.Training;

/// <summary>Mean loss and token accuracy over validation batches.</summary>
/// <param name="Loss">Mean of the batches' mean token cross-entropy.</param>
/// <param name="Accuracy">Share of label tokens (not -100) whose arg-max prediction is right.</param>
/// <param name="Batches">Batches evaluated.</param>
public sealed record EvaluationResult(double Loss, double Accuracy, int Batches);

/// <summary>Evaluates a model on batches.</summary>
public static class Evaluator
{
    /// <summary>
    /// Evaluates up to <paramref name="maxBatches"/> batches of <paramref name="batches"/> on the model's device. Between
    /// batches <paramref name="stopRequested"/> is asked (every rank asks at the same batch); when it says yes the
    /// evaluation ends with <see cref="EvaluationStoppedException"/>, so a signal never waits for thousands of batches.
    /// </summary>
    public static EvaluationResult Evaluate(
        T5ForConditionalGeneration model, IEnumerable<TrainingBatch> batches, int maxBatches, ScalarType? autocastDtype = null, DataParallel? parallel = null, Func<bool>? stopRequested = null)
    {
        bool wasTraining = model.training;
        model.eval();
        double lossSum = 0;
        long correct = 0, counted = 0;
        int count = 0;
        try
        {
            using var noGrad = no_grad();
            foreach (TrainingBatch cpuBatch in batches.Take(maxBatches))
            {
                if (count > 0 && stopRequested?.Invoke() == true)
                {
                    throw new EvaluationStoppedException(count);
                }

                using var scope = NewDisposeScope();
                TrainingBatch whole = cpuBatch.To(model.Device);
                TrainingBatch batch = parallel is null ? whole : parallel.Slice(whole);
                double weight = parallel is null ? 1.0 : DataParallel.TokenWeight(whole, batch);
                count++;
                if (weight == 0 && parallel is not null)
                {
                    continue;
                }

                Seq2SeqOutput output;
                using (Autocast.Enable(autocastDtype))
                {
                    output = model.forward(batch.InputIds, batch.AttentionMask, batch.Labels);
                }

                lossSum += weight * output.Loss.item<float>();
                Tensor valid = batch.Labels != T5ForConditionalGeneration.IgnoreIndex;
                correct += (output.Logits.argmax(-1).eq(batch.Labels) & valid).sum().item<long>();
                counted += valid.sum().item<long>();
            }
        }
        finally
        {
            model.train(wasTraining);
        }

        if (parallel is not null)
        {
            Span<double> sums = [lossSum, correct, counted];
            parallel.Group.AllReduceSum(sums);
            (lossSum, correct, counted) = (sums[0], (long)sums[1], (long)sums[2]);
        }

        return count == 0
            ? throw new InvalidOperationException("Evaluation found no validation batches.")
            : new EvaluationResult(lossSum / count, counted == 0 ? 0 : (double)correct / counted, count);
    }
}

/// <summary>An evaluation ended early because a stop was requested; <see cref="Batches"/> were evaluated.</summary>
public sealed class EvaluationStoppedException(int batches) : Exception($"evaluation stopped after {batches} batches: a stop was requested")
{
    public int Batches { get; } = batches;
}
