using Realtime.Gateway.Delivery;

namespace Realtime.Gateway.Tests.Unit;

/// <summary>Who a push skips: excluded client ids, and metadata that does not match the filter.</summary>
public sealed class DeliveryRulesTests
{
    [Fact]
    public void NoRulesAcceptEveryone()
    {
        using var connection = SocketPair.Unstarted(100);
        var rules = new DeliveryRules(null, null);

        Assert.True(rules.IsEmpty);
        Assert.True(rules.Accepts(connection));
        Assert.True(new DeliveryRules([], []).IsEmpty);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(20)]
    public void AnExcludedClientIsSkippedAndTheOthersAreNot(int listLength)
    {
        using var excluded = SocketPair.Unstarted(100, "c_out");
        using var other = SocketPair.Unstarted(100, "c_in");
        string[] exclude = [.. Enumerable.Range(0, listLength - 1).Select(i => $"c_{i}"), "c_out"];
        var rules = new DeliveryRules(exclude, null);

        Assert.False(rules.Accepts(excluded));
        Assert.True(rules.Accepts(other));
    }

    [Fact]
    public void AFilterNeedsEveryPairToMatchExactly()
    {
        using var both = SocketPair.Unstarted(100, metadata: new Dictionary<string, string> { ["team"] = "red", ["role"] = "admin" });
        using var one = SocketPair.Unstarted(100, metadata: new Dictionary<string, string> { ["team"] = "red" });
        using var otherCase = SocketPair.Unstarted(100, metadata: new Dictionary<string, string> { ["team"] = "Red", ["role"] = "admin" });
        var rules = new DeliveryRules(null, new Dictionary<string, string> { ["team"] = "red", ["role"] = "admin" });

        Assert.True(rules.Accepts(both));
        Assert.False(rules.Accepts(one));
        Assert.False(rules.Accepts(otherCase));
    }
}
