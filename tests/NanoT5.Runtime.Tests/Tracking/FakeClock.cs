// Drives a FakeTimeProvider while the tracker works: retry delays, Retry-After, the sender's pauses, the
// breaker's break and the drain budget then pass in fake time, in order, without waiting their length.
using Microsoft.Extensions.Time.Testing;

namespace NanoT5.Tests.Tracking;

internal static class FakeClock
{
    // Small beside every delivery timing of TrackingFixtures.FastDelivery (the shortest is a 20 ms retry delay).
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(5);

    /// <summary>Advances <paramref name="time"/> step by step until <paramref name="work"/> completes.</summary>
    public static async Task<T> AdvanceUntilAsync<T>(this FakeTimeProvider time, Task<T> work)
    {
        await time.AdvanceUntilAsync(() => work.IsCompleted, "the work to complete");
        return await work;
    }

    /// <summary>Advances <paramref name="time"/> step by step until <paramref name="condition"/> holds (at most 10 fake minutes).</summary>
    public static async Task AdvanceUntilAsync(this FakeTimeProvider time, Func<bool> condition, string what)
    {
        DateTimeOffset limit = time.GetUtcNow() + TimeSpan.FromMinutes(10);
        while (!condition())
        {
            Assert.True(time.GetUtcNow() < limit, $"no {what} after 10 minutes of fake time");
            time.Advance(Step);
            await Task.Yield(); // let the continuations the step released run before the next one
            await Task.Delay(1);
        }
    }
}
