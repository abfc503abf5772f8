using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Realtime.Connections;
using Realtime.Grains.Presence;

namespace Realtime.Grains.Tests;

/// <summary>Online and offline hooks, with a grace period of half a second.</summary>
public sealed class PresenceHooksTests : OwnClusterTest
{
    private readonly RecordingHooks _hooks = new();

    protected override IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Realtime:Presence:OfflineGracePeriod"] = "00:00:00.500",
        ["Realtime:Presence:MaxConnectionsPerUser"] = "2",
        ["Realtime:Gateways:ReapInterval"] = "00:00:00.200",
    };

    protected override void ConfigureSilo(IServiceCollection services) => services.AddSingleton<IPresenceHooks>(_hooks);

    private async Task<IClientGrain> ConnectAsync(string userId, string gateway = "gw_a")
    {
        var client = Grains.GetClientGrain(Keys.Client());
        await client.Connect(new ClientRegistration(userId, gateway, "/ws", [], DateTimeOffset.UtcNow));
        return client;
    }

    [Fact]
    public async Task FirstConnectionRunsOnlineAndLastOneRunsOfflineAfterTheGracePeriod()
    {
        var user = Keys.User();
        var phone = await ConnectAsync(user);
        var laptop = await ConnectAsync(user);

        await phone.Disconnect();
        await laptop.Disconnect();
        var stillOnlineDuringGrace = await Grains.GetUserPresenceGrain(user).IsOnline();

        Assert.Equal(("online", user), await _hooks.NextAsync("the online hook"));
        Assert.Equal(("offline", user), await _hooks.NextAsync("the offline hook after the grace period"));
        Assert.True(stillOnlineDuringGrace);
        Assert.False(await Grains.GetUserPresenceGrain(user).IsOnline());
    }

    [Fact]
    public async Task AQuickReconnectDoesNotFlap()
    {
        var user = Keys.User();
        var first = await ConnectAsync(user);
        Assert.Equal(("online", user), await _hooks.NextAsync("the online hook"));

        await first.Disconnect();
        var second = await ConnectAsync(user);
        var other = Keys.User();
        await (await ConnectAsync(other)).Disconnect();

        // The other user's hooks come in order; had the first user flapped, its events would be first.
        Assert.Equal(("online", other), await _hooks.NextAsync("the other user's online hook"));
        Assert.Equal(("offline", other), await _hooks.NextAsync("the other user's offline hook"));
        Assert.True(await Grains.GetUserPresenceGrain(user).IsOnline());
        await second.Disconnect();
        Assert.Equal(("offline", user), await _hooks.NextAsync("the first user's offline hook"));
    }

    [Fact]
    public async Task UserConnectionsAreLimitedAcrossGateways()
    {
        var user = Keys.User();
        var registration = (string gateway) => new ClientRegistration(user, gateway, "/ws", [], DateTimeOffset.UtcNow);

        var first = await Grains.GetClientGrain(Keys.Client()).Connect(registration("gw_a"));
        var second = await Grains.GetClientGrain(Keys.Client()).Connect(registration("gw_b"));
        var refusedClient = Grains.GetClientGrain(Keys.Client());
        var third = await refusedClient.Connect(registration("gw_a"));

        Assert.True(first.Accepted);
        Assert.True(second.Accepted);
        Assert.False(third.Accepted);
        Assert.Equal(1008, third.CloseCode);
        Assert.Null(await refusedClient.GetInfo());
        Assert.Equal(2, (await Grains.GetUserPresenceGrain(user).GetConnections()).Length);
    }

    [Fact]
    public async Task WhenAUsersGatewayDiesTheOfflineHookRunsOnceTheLeaseRunsOut()
    {
        var user = Keys.User();
        var gateway = "gw_" + Guid.NewGuid().ToString("N")[..8];
        await Grains.GetGatewayRegistry().Renew(gateway, TimeSpan.FromMilliseconds(300));
        await ConnectAsync(user, gateway);
        Assert.Equal(("online", user), await _hooks.NextAsync("the online hook"));

        // The gateway never renews its lease: it died without a goodbye.
        Assert.Equal(("offline", user), await _hooks.NextAsync("the offline hook, after the lease and the grace period"));
        Assert.Equal(0, await Grains.GetGatewayConnections(gateway).Count());
        Assert.False(await Grains.GetGatewayRegistry().Renew(gateway, TimeSpan.FromSeconds(1)), "a reaped gateway must register again");
    }

    private sealed class RecordingHooks : IPresenceHooks
    {
        private readonly Channel<(string, string)> _events = Channel.CreateUnbounded<(string, string)>();

        public Task OnOnlineAsync(string userId, CancellationToken cancellationToken)
            => _events.Writer.WriteAsync(("online", userId), cancellationToken).AsTask();

        public Task OnOfflineAsync(string userId, CancellationToken cancellationToken)
            => _events.Writer.WriteAsync(("offline", userId), cancellationToken).AsTask();

        public Task<(string, string)> NextAsync(string what) => _events.Reader.ReadAsync().AsTask().Within(what);
    }
}
