namespace Realtime.Browser.Tests;

/// <summary>Redis, a silo and two gateways as processes, as the README's cluster runs them.</summary>
public sealed class DemoCluster : IAsyncLifetime
{
    public ProcessCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await ProcessCluster.StartAsync(silos: 1, gateways: 2);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>
/// Alice chats through one gateway, Bob through the other; Bob's gateway goes down and comes back
/// while Alice keeps talking. Bob's page shows every message once, in order.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DemoClusterTests(HeadlessChromium chromium, DemoCluster fixture) : IClassFixture<DemoCluster>
{
    private ProcessCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task WhenBobsGatewayStopsAndStartsAgainHisPageShowsEveryMessageOnceInOrder()
        => await RestartBobsGatewayWhileAliceTalks(gateway => gateway.Process.StopAsync());

    [Fact]
    public async Task WhenBobsGatewayIsKilledAndStartedAgainHisPageShowsEveryMessageOnceInOrder()
        => await RestartBobsGatewayWhileAliceTalks(gateway => gateway.Process.KillAsync());

    private async Task RestartBobsGatewayWhileAliceTalks(Func<GatewayNode, Task> takeDown)
    {
        var room = "chat:restart-" + Guid.NewGuid().ToString("N")[..8];
        await using var alice = await DemoPage.OpenAsync(chromium, Cluster.Gateways[0].HttpUri, "Alice", room);
        await using var bob = await DemoPage.OpenAsync(chromium, Cluster.Gateways[1].HttpUri, "Bob", room);
        for (var i = 1; i <= 3; i++)
        {
            await alice.SayAsync($"m{i}");
        }

        await Assertions.Expect(bob.Messages).ToHaveTextAsync(["m1", "m2", "m3"]);

        using var stopTalking = new CancellationTokenSource();
        var talking = KeepTalking(alice, from: 4, stopTalking.Token);
        var bobsGateway = Cluster.Gateways[1];
        await takeDown(bobsGateway);
        await Assertions.Expect(bob.State).Not.ToHaveTextAsync("connected");
        // Three more messages while Bob's gateway is down: they can only reach him by recovery.
        var saidWhileDown = await alice.Messages.CountAsync() + 3;
        await alice.Messages.Nth(saidWhileDown - 1).WaitForAsync();
        await Cluster.StartGatewayAsync(replacing: bobsGateway);
        await Assertions.Expect(bob.State).ToHaveTextAsync("connected", new() { Timeout = 30_000 });
        // What was said while he was away arrives by recovery once his page has rejoined; then Alice goes on.
        await bob.Messages.Nth(saidWhileDown - 1).WaitForAsync(new() { Timeout = 30_000 });
        var seenAtReconnect = await bob.Messages.CountAsync();
        await Assertions.Expect(bob.Messages).Not.ToHaveCountAsync(seenAtReconnect);
        await stopTalking.CancelAsync();
        var said = await talking;

        var expected = Enumerable.Range(1, said).Select(i => $"m{i}").ToArray();
        await Assertions.Expect(bob.Messages).ToHaveTextAsync(expected);
        await Assertions.Expect(alice.Messages).ToHaveTextAsync(expected);
        Assert.True(said > seenAtReconnect && seenAtReconnect >= saidWhileDown, $"Alice said {said}, {saidWhileDown} before Bob's gateway came back; Bob had {seenAtReconnect} when he came back");
        await Assertions.Expect(bob.Page.Locator("#messages li.warn")).ToHaveCountAsync(0);
        bob.AssertNoErrors();
        alice.AssertNoErrors();
    }

    /// <summary>Alice says m{from}, m{from+1}... each once echoed, until told to stop; returns the last number said.</summary>
    private static async Task<int> KeepTalking(DemoPage alice, int from, CancellationToken stop)
    {
        var n = from;
        while (!stop.IsCancellationRequested)
        {
            await alice.SayAsync($"m{n}");
            n++;
        }

        return n - 1;
    }
}
