using System.Diagnostics;

namespace Realtime.Cluster.Tests;

/// <summary>
/// One budget per user across gateways: a user's two connections, on two gateways, share the user's
/// frames per second; a connection of another user has the whole budget. No per-connection limit is set,
/// so without the shared budget nothing would be refused at all.
/// </summary>
public sealed class UserBudgetTests
{
    private const int UserFramesPerSecond = 10;
    private const int Burst = 2;

    /// <summary>Pings at a steady pace for a while; returns how many were answered and how long it took, in seconds.</summary>
    private static async Task<(int Answered, double Seconds)> PingAsync(WsClient client, int count)
    {
        var watch = Stopwatch.StartNew();
        var replies = new List<Task<System.Text.Json.JsonElement>>();
        for (var i = 0; i < count; i++)
        {
            replies.Add(client.RequestAsync("system", "ping", new { i }));

            // A paced load: a frame every 20 ms, so the budget's refill rate shows.
            await Task.Delay(20);
        }

        var answered = (await Task.WhenAll(replies)).Count(r => r.GetProperty("ok").GetBoolean());
        return (answered, watch.Elapsed.TotalSeconds);
    }

    private static async Task UntilLimited(WsClient client, string what)
        => await TestWait.Until(
            async () =>
            {
                var replies = await Task.WhenAll(Enumerable.Range(0, 2 * Burst + 2).Select(i => client.RequestAsync("system", "ping", new { i })));
                return replies.Any(r => !r.GetProperty("ok").GetBoolean());
            },
            what);

    [Fact]
    public async Task AUsersConnectionsOnTwoGatewaysShareOneBudget()
    {
        await using var cluster = await ProcessCluster.StartAsync(silos: 1, gateways: 2, new Dictionary<string, string>
        {
            ["Realtime:Auth:SigningKey"] = Tokens.Key,
            ["Realtime:Auth:Issuer"] = Tokens.Issuer,
            ["Realtime:Auth:Audience"] = Tokens.Audience,
            ["Realtime:Gateway:RateLimitPerSecond"] = "0",
            ["Realtime:Gateway:RateLimitBurst"] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Realtime:Presence:UserRateLimitPerSecond"] = UserFramesPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var user = TestIds.User();
        await using var onA = await WsClient.ConnectAsync(cluster.Gateways[0].WsUriWithToken(Tokens.Create(user)));
        await using var onB = await WsClient.ConnectAsync(cluster.Gateways[1].WsUriWithToken(Tokens.Create(user)));
        await using var alone = await WsClient.ConnectAsync(cluster.Gateways[0].WsUriWithToken(Tokens.Create(TestIds.User())));
        await UntilLimited(onA, "the first connection's share to arrive");
        await UntilLimited(onB, "the second connection's share to arrive");
        await UntilLimited(alone, "the other user's budget to arrive");

        var shared = await Task.WhenAll(PingAsync(onA, 100), PingAsync(onB, 100));
        var whole = await PingAsync(alone, 100);

        // Each of the user's connections gets half the budget (at most; frames bunched in transit may lose some).
        foreach (var (answered, seconds) in shared)
        {
            var half = UserFramesPerSecond / 2.0;
            Assert.InRange(answered, (half * seconds / 2) - Burst, (half * seconds) + Burst + 2);
        }

        Assert.True(whole.Answered > shared.Max(s => s.Answered) + 3, $"the other user's single connection got {whole.Answered} in {whole.Seconds:F1} s, the shared ones {string.Join(", ", shared.Select(s => s.Answered))}");
        Assert.InRange(whole.Answered, 0, (UserFramesPerSecond * whole.Seconds) + Burst + 2);
    }
}
