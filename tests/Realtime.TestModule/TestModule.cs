using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Realtime.Api;
using Realtime.Events;
using Realtime.Grains;
using Realtime.Grains.Events;

namespace Realtime.TestModule;

/// <summary>
/// An application as a module: a subscriber that relays every custom <c>orders.*</c> event and every
/// connection lifecycle event into the room <see cref="AuditRoom"/>, handlers (one asks a client), and an HTTP endpoint
/// on the host that loads it.
/// </summary>
public sealed class TestModule : IRealtimeModule, Hosting.IRealtimeEndpoints
{
    public const string AuditRoom = "audit:log";

    /// <summary>Where every lifecycle event and presence hook is relayed, as <c>lifecycle</c>/<c>&lt;channel&gt;</c> and <c>hook</c>/<c>online|offline</c>.</summary>
    public const string LifecycleRoom = "audit:lifecycle";

    public void Configure(IServiceCollection services, IConfiguration configuration)
    {
        services.AddRealtimeSubscribers(subscribers => subscribers.Add(new RealtimeSubscriber
        {
            Name = "audit",
            Description = "Relays orders and connection events to the audit room",
            Match = ChannelMatch.Any(ChannelMatch.Regex("^orders\\."), RealtimeEventChannels.ClientConnected),
            Handler = context => context.Realtime.SendToRoomAsync(AuditRoom, "audit", context.Channel, new { id = context.Event.Id, channel = context.Channel }),
        }).Add(new RealtimeSubscriber
        {
            Name = "lifecycle",
            Description = "Relays every lifecycle event, with its payload, to the lifecycle room",
            Match = ChannelMatch.Regex("^realtime\\."),
            Handler = context => context.Realtime.SendToRoomAsync(LifecycleRoom, new RealtimePush("lifecycle", context.Channel, context.Event.Payload)),
        }));
        services.AddSingleton<Grains.Presence.IPresenceHooks, RelayingPresenceHooks>();
        services.AddRealtimeHandlers(handlers => handlers
            .Map("module", "hello", (Grains.Handlers.HandlerContext context) => $"hello {context.ClientId} from the module")
            .Map("module", "ask", async (System.Text.Json.JsonElement data, IRealtime realtime) =>
                await realtime.InvokeClientAsync<System.Text.Json.JsonElement>(data.GetProperty("clientId").GetString()!, "module", "confirm", new { from = "a handler" }, TimeSpan.FromSeconds(20))));
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => endpoints.MapGet("/module/hello", () => "hello from the module's endpoint");
}

/// <summary>Presence hooks that say when they run, in the lifecycle room.</summary>
internal sealed class RelayingPresenceHooks(IRealtime realtime) : Grains.Presence.IPresenceHooks
{
    public Task OnOnlineAsync(string userId, CancellationToken cancellationToken)
        => realtime.SendToRoomAsync(TestModule.LifecycleRoom, "hook", "online", new { userId });

    public Task OnOfflineAsync(string userId, CancellationToken cancellationToken)
        => realtime.SendToRoomAsync(TestModule.LifecycleRoom, "hook", "offline", new { userId });
}
