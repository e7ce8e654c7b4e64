using NanoT5.Checkpoints;
using NanoT5.Runs;
using NanoT5.Tests.FaultTolerance;
using static TorchSharp.torch;

namespace NanoT5.Tests.Distributed;

/// <summary>Real jobs under Open MPI's mpirun: 2 ranks on this machine's cores.</summary>
[Collection(TorchCollection.Name)]
[Trait("Category", "Slow")]
public sealed class DataParallelRunTests
{
    // fp32 tolerance: 2 ranks sum 16-row partial gradients and then the 2 partials, 1 rank sums 32 rows at once,
    // so every gradient element differs by a few ulps (about 1e-7 relative). Measured after 20 steps: losses
    // within 1.6e-7 relative, weights within 4.8e-7 absolute; the bounds below leave about 20x headroom for
    // the AdamW updates, which can amplify those ulps for elements whose gradients are near zero.
    private const double LossRelativeTolerance = 1e-5;
    private const double WeightTolerance = 1e-5;

    // Hang guards only (these machines are shared; a run of seconds can take minutes under load), never timings.
    private const int Patience = 900;

    [Fact]
    public void TwoRanksOf16Rows_GiveTheLossesAndWeightsOfOneRankOf32Rows_For20Steps()
    {
        string output = AssertTwoRanksRunAsOne(Twenty);

        Assert.Contains("[rank 1] pretrain 'fault'", output, StringComparison.Ordinal);
        Assert.Contains("[rank 0] data-parallel: 2 ranks take 16 (rank 0) of each micro-batch's 32 rows", output, StringComparison.Ordinal);
        Assert.DoesNotContain("[rank 1] [train]", output, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoRanksWithGradientAccumulation_GiveTheLossesAndWeightsOfOneRank_For20Steps()
    {
        // grad_acc 2: each step is two micro-batches of 16 rows; each rank takes 8 rows of each and the all-reduce
        // runs once per step, after both micro-batches.
        string output = AssertTwoRanksRunAsOne(TwentyAccumulated);

        Assert.Contains("[rank 0] data-parallel: 2 ranks take 8 (rank 0) of each micro-batch's 16 rows", output, StringComparison.Ordinal);
    }

    [Fact]
    public void KillingOneRank_EndsTheJobNonZero_AndOneRankResumesTheSameRunFromTheLastCheckpoint()
    {
        using var straight = new FaultRun(Longer);
        var (straightCode, straightOutput) = RuntimeProcess.Run(straight.Pretrain, timeoutSeconds: Patience);
        Assert.True(straightCode == ExitCodes.Success, straightOutput);

        using var killed = new FaultRun(Longer);
        using (var job = RuntimeProcess.StartUnderMpirun(2, killed.Pretrain))
        {
            job.WaitUntil(() => killed.CheckpointSteps().LastOrDefault() >= 10, "a checkpoint at step 10", Patience);
            int rank1 = RankProcess(killed.ConfigPath, rank: 1);
            using (var victim = System.Diagnostics.Process.GetProcessById(rank1))
            {
                victim.Kill(); // SIGKILL: the rank gets no chance to say goodbye
            }

            int code = job.WaitForExit(Patience);
            Assert.True(code != ExitCodes.Success, job.Output);
            Assert.Contains("exited on signal 9", job.Output, StringComparison.Ordinal);
        }

        long last = killed.CheckpointSteps().Last();
        Assert.True(last < 60, $"the job finished (checkpoint {last}) before rank 1 was killed:\n{string.Join('\n', killed.CheckpointSteps())}");
        Assert.Null(killed.Verify(last));
        var (resumedCode, resumedOutput) = RuntimeProcess.Run(killed.Pretrain, timeoutSeconds: Patience);

        Assert.True(resumedCode == ExitCodes.Success, resumedOutput);
        Assert.Contains($"resuming from step {last}", resumedOutput, StringComparison.Ordinal);
        AssertSameRun(straight, killed);
    }

    [Fact]
    public void RanksStartedWithDifferentConfigs_AreRefusedBeforeTraining()
    {
        using var run = new FaultRun();
        string other = run.ConfigPath.Replace("experiment.json", "other.json", StringComparison.Ordinal);
        NanoT5.Config.ExperimentConfigJson.Save(run.Config with { Seed = 7 }, other);

        using var job = RuntimeProcess.StartUnderMpirun(2, [], perRank: [run.Pretrain, ["pretrain", "--config", other]]);
        int code = job.WaitForExit(Patience);

        Assert.NotEqual(ExitCodes.Success, code);
        Assert.Contains("1 rank(s) run a different experiment config than rank 0", job.Output, StringComparison.Ordinal);
        Assert.Empty(run.CheckpointSteps());
    }

    [Fact]
    public void StartingOverUnderMpirun_IsDoneByRank0Alone_BeforeAnyRankReadsTheFolder()
    {
        using var run = new FaultRun(Twenty);
        var (firstCode, firstOutput) = RuntimeProcess.Run(run.Pretrain, timeoutSeconds: Patience);
        Assert.True(firstCode == ExitCodes.Success, firstOutput);
        string again = run.ConfigPath.Replace("experiment.json", "again.json", StringComparison.Ordinal);
        NanoT5.Config.ExperimentConfigJson.Save(run.Config with { Checkpoint = run.Config.Checkpoint with { Resume = false } }, again);

        // Three jobs: a rank deleting the folder beside rank 0 lost a race only some of the time.
        for (int trial = 0; trial < 3; trial++)
        {
            using var job = RuntimeProcess.StartUnderMpirun(2, ["pretrain", "--config", again]);
            int code = job.WaitForExit(Patience);

            Assert.True(code == ExitCodes.Success, job.Output);
            string[] startOvers = [.. job.Output.Split('\n').Where(l => l.Contains("checkpoint.resume is false: starting", StringComparison.Ordinal))];
            Assert.True(startOvers.Length == 1 && startOvers[0].StartsWith("[rank 0]", StringComparison.Ordinal), job.Output);
            Assert.DoesNotContain("damaged", job.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("resuming from step", job.Output, StringComparison.Ordinal);
            Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), run.Losses().Keys);
            Assert.All(run.CheckpointSteps(), step => Assert.Null(run.Verify(step)));
        }
    }

    [Fact]
    public void ALauncherWorldSizeThatMpiDoesNotSee_IsRefused()
    {
        using var run = new FaultRun();

        var start = new System.Diagnostics.ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "NanoT5.Runtime.dll"), .. run.Pretrain])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["WORLD_SIZE"] = "2";
        start.Environment["RANK"] = "0";
        using var process = System.Diagnostics.Process.Start(start)!;
        string output = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        int code = process.ExitCode;

        Assert.Equal(ExitCodes.UsageOrInput, code);
        Assert.Contains("env started this process as rank 0 of 2, but MPI sees rank 0 of 1", output, StringComparison.Ordinal);
    }

    private static NanoT5.Config.ExperimentConfig Twenty(NanoT5.Config.ExperimentConfig c) =>
        c with { Optim = c.Optim with { BatchSize = 32, TotalSteps = 20 }, Checkpoint = c.Checkpoint with { EverySteps = 5 }, Eval = c.Eval with { EverySteps = 10, Steps = 2 } };

    private static NanoT5.Config.ExperimentConfig TwentyAccumulated(NanoT5.Config.ExperimentConfig c)
    {
        NanoT5.Config.ExperimentConfig twenty = Twenty(c);
        return twenty with { Optim = twenty.Optim with { GradAcc = 2 } };
    }

    // 50 steps of 64-token rows after the kill point (about 1.5 s on 2 idle cores): long enough to be killed in its middle.
    private static NanoT5.Config.ExperimentConfig Longer(NanoT5.Config.ExperimentConfig c) =>
        c with
        {
            Data = c.Data with { InputLength = 64 },
            Optim = c.Optim with { BatchSize = 32, TotalSteps = 60 },
            Checkpoint = c.Checkpoint with { EverySteps = 10 },
            Eval = c.Eval with { EverySteps = 30, Steps = 2 },
        };

    // The same config run by one process and by 2 ranks under mpirun: both succeed with the same run; the job's output.
    private static string AssertTwoRanksRunAsOne(Func<NanoT5.Config.ExperimentConfig, NanoT5.Config.ExperimentConfig> configure)
    {
        using var single = new FaultRun(configure);
        using var pair = new FaultRun(configure);

        var (singleCode, singleOutput) = RuntimeProcess.Run(single.Pretrain, timeoutSeconds: Patience);
        using var job = RuntimeProcess.StartUnderMpirun(2, pair.Pretrain);
        int pairCode = job.WaitForExit(Patience);

        Assert.True(singleCode == ExitCodes.Success, singleOutput);
        Assert.True(pairCode == ExitCodes.Success, job.Output);
        AssertSameRun(single, pair);
        return job.Output;
    }

    private static void AssertSameRun(FaultRun expected, FaultRun actual)
    {
        var expectedLosses = expected.Losses();
        var actualLosses = actual.Losses();
        Assert.Equal(expectedLosses.Keys, actualLosses.Keys);
        Assert.All(expectedLosses, pair => Assert.True(
            Math.Abs(pair.Value - actualLosses[pair.Key]) <= LossRelativeTolerance * Math.Abs(pair.Value),
            $"step {pair.Key}: loss {actualLosses[pair.Key]} vs {pair.Value}"));

        using var scope = NewDisposeScope();
        var expectedWeights = SafeTensorsFile.Load(Path.Combine(expected.RunDirectory, "model", "model.safetensors")).ToDictionary(t => t.Name, t => t.Tensor);
        var actualWeights = SafeTensorsFile.Load(Path.Combine(actual.RunDirectory, "model", "model.safetensors")).ToDictionary(t => t.Name, t => t.Tensor);
        Assert.Equal(expectedWeights.Keys.Order(), actualWeights.Keys.Order());
        Assert.All(expectedWeights, pair =>
        {
            double difference = (pair.Value - actualWeights[pair.Key]).abs().max().item<float>();
            Assert.True(difference <= WeightTolerance, $"{pair.Key}: max |difference| {difference}");
        });
    }

    // The rank processes are mpirun's children; Open MPI tells each its rank in its environment.
    private static int RankProcess(string configPath, int rank)
    {
        foreach (string dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid))
            {
                continue;
            }

            try
            {
                string commandLine = File.ReadAllText(Path.Combine(dir, "cmdline"));
                string[] environment = File.ReadAllText(Path.Combine(dir, "environ")).Split('\0');
                if (commandLine.Contains(configPath, StringComparison.Ordinal) && environment.Contains($"OMPI_COMM_WORLD_RANK={rank}"))
                {
                    return pid;
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        throw new InvalidOperationException($"no process of rank {rank} runs {configPath}");
    }
}
