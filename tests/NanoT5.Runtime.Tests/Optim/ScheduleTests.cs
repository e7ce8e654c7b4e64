using NanoT5.Config;
using NanoT5.Optim;
using NanoT5.Optim.Schedules;

namespace NanoT5.Tests.Optim;

public sealed class ScheduleTests
{
    [Theory]
    // Warm-up: base * (0.5 + 0.5 step / warmup).
    [InlineData(0, 0.01)]
    [InlineData(5_000, 0.015)]
    [InlineData(9_999, 0.019999)]
    // The boundary: the cosine starts at exactly the base rate.
    [InlineData(10_000, 0.02)]
    // eta_min + (base - eta_min)(1 + cos(pi t / T)) / 2 with T = 55,536.
    [InlineData(10_001, 0.019999999984)]
    [InlineData(37_768, 0.010005)]
    [InlineData(65_535, 0.0000100000000321)]
    public void Cosine_AtNanoT5sDefaults_GivesTheClosedFormValues(long step, double expected)
    {
        var schedule = OptimizerFactory.CreateSchedule(new OptimizerSettings(), totalSteps: 65_536);

        Assert.Equal(expected, schedule.LearningRate(step), 1e-9);
        Assert.Null(schedule.Note);
    }

    [Fact]
    public void Cosine_HalfwayThroughTheAnnealing_IsTheMidpointOfBaseAndFinal()
    {
        var schedule = new CosineSchedule(baseLr: 1.0, warmupSteps: 10, totalSteps: 110, finalLr: 0.2);

        Assert.Equal(0.6, schedule.LearningRate(60), 12);
        Assert.Equal(0.95, schedule.LearningRate(9), 12);
    }

    [Theory]
    [InlineData(0, 0.01)]
    [InlineData(1, 0.01)]
    [InlineData(10_000, 0.01)]
    [InlineData(40_000, 0.005)]
    // ceil(0.9 * 65,536) = 58,983 steps of 1/sqrt(step) (1/sqrt(58,982) = 0.0041175630), then a linear
    // decay from 1/sqrt(58,983) = 0.0041175281 over 6,553 steps: x (1 - t / 6,553).
    [InlineData(58_982, 0.004117562998706859)]
    [InlineData(58_983, 0.004117528093899956)]
    [InlineData(62_259, 0.002059078218176431)]
    [InlineData(65_535, 6.283424529070337e-07)]
    public void Legacy_FollowsTheInverseSquareRootThenLinearDecay(long step, double expected)
    {
        var schedule = new LegacySchedule(totalSteps: 65_536);

        Assert.Equal(58_983, schedule.DecayStart);
        Assert.Equal(expected, schedule.LearningRate(step), 1e-9);
    }

    [Fact]
    public void Legacy_IgnoresTheBaseLearningRate_AndSaysSo()
    {
        var low = OptimizerFactory.CreateSchedule(new OptimizerSettings { Schedule = ScheduleKind.Legacy, BaseLr = 1e-5 }, 1000);
        var high = OptimizerFactory.CreateSchedule(new OptimizerSettings { Schedule = ScheduleKind.Legacy, BaseLr = 3.0 }, 1000);

        Assert.Equal(low.LearningRate(500), high.LearningRate(500));
        Assert.Contains("independent of the base learning rate", low.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Constant_IsTheBaseRateAtEveryStep()
    {
        var schedule = OptimizerFactory.CreateSchedule(new OptimizerSettings { Schedule = ScheduleKind.Constant, BaseLr = 5e-5 }, 100);

        Assert.All(new long[] { 0, 1, 50, 99 }, s => Assert.Equal(5e-5, schedule.LearningRate(s)));
    }
}
