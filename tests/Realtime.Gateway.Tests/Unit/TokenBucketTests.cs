using Realtime.Gateway.Connections;

namespace Realtime.Gateway.Tests.Unit;

/// <summary>The per-connection frame and byte budgets, on a clock the test moves.</summary>
public sealed class TokenBucketTests
{
    [Fact]
    public void TheBurstIsTakenAtOnceThenRefillsAtTheRate()
    {
        var bucket = default(TokenBucket);
        var now = 1_000L;

        var taken = Enumerable.Range(0, 10).Count(_ => bucket.TryTake(now, ratePerSecond: 2, burst: 5));
        Assert.Equal(5, taken);
        Assert.False(bucket.TryTake(now + 400, 2, 5));
        Assert.True(bucket.TryTake(now + 500, 2, 5));
        Assert.False(bucket.TryTake(now + 500, 2, 5));
    }

    [Fact]
    public void ARefillNeverExceedsTheBurst()
    {
        var bucket = default(TokenBucket);
        Assert.True(bucket.TryTake(1, 100, 3));

        var taken = Enumerable.Range(0, 10).Count(_ => bucket.TryTake(100_000, 100, 3));
        Assert.Equal(3, taken);
    }

    [Fact]
    public void ACostTakesThatManyTokens()
    {
        var bucket = default(TokenBucket);

        Assert.True(bucket.TryTake(1, 100, 2048, cost: 2000));
        Assert.False(bucket.TryTake(1, 100, 2048, cost: 100));
        Assert.True(bucket.TryTake(1001, 100, 2048, cost: 100));
    }

    [Fact]
    public void ARateOfZeroIsNoLimit()
    {
        var bucket = default(TokenBucket);

        Assert.All(Enumerable.Range(0, 1000), _ => Assert.True(bucket.TryTake(1, 0, 1)));
    }
}
