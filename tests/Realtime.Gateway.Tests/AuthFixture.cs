using Microsoft.Extensions.Logging;
using Realtime.Grains;
using Realtime.Grains.Rooms;

namespace Realtime.Gateway.Tests;

/// <summary>
/// A gateway that validates HS256 tokens (issuer, audience, no clock skew), allows one browser
/// origin, logs everything (so tests can search the logs for tokens), and has room rules.
/// </summary>
public sealed class AuthFixture : IAsyncLifetime
{
    public const string AllowedOrigin = "https://app.test";
    public const string ApiKey = "a-test-api-key-0123456789";

    public GatewayServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
        => Server = await GatewayServer.StartAsync(
            new Dictionary<string, string>
            {
                ["Realtime:Auth:SigningKey"] = Tokens.Key,
                ["Realtime:Auth:Issuer"] = Tokens.Issuer,
                ["Realtime:Auth:Audience"] = Tokens.Audience,
                ["Realtime:Auth:ClockSkew"] = "00:00:00",
                ["Realtime:Auth:AllowedOrigins:0"] = AllowedOrigin,
                ["Realtime:Gateway:RateLimitPerSecond"] = "0",
                ["Realtime:Api:Key"] = ApiKey,
                ["Realtime:Gateway:Paths:0"] = "/ws",
                ["Realtime:Gateway:Paths:1"] = "/ws/alt",
            },
            builder =>
            {
                builder.Services.AddRealtimeHandlers(TestHandlers.Register);
                builder.Services.AddRealtimeRooms(RoomRules);
            },
            LogLevel.Trace);

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>
    /// <c>team:X</c> needs claim team=X; <c>norecover:</c> may be joined but not recovered;
    /// <c>announce:</c> takes no client publishes; <c>moderated:</c> takes them from moderators, members or not;
    /// <c>secret:</c> shows no members; <c>lobby:</c> shows members to anyone, with their name, and pushes presence.
    /// </summary>
    private static void RoomRules(RealtimeRoomsBuilder rooms) => rooms
        .AuthorizeJoin("team", context => context.User.HasClaim("team", context.RoomId))
        .AuthorizeJoin("norecover", context => context.Access == RoomAccess.Join)
        .Category("announce", category => category.Publish = PublishPolicy.Denied)
        .AuthorizePublish("moderated", context => context.User.HasClaim("role", "moderator"))
        .Category("secret", category => category.Presence = PresenceVisibility.Nobody)
        .Category("lobby", category =>
        {
            category.Presence = PresenceVisibility.Anyone;
            category.ExposedMetadata = ["name"];
            category.PresenceEvents = true;
        });
}

[CollectionDefinition(Name)]
public sealed class AuthCollection : ICollectionFixture<AuthFixture>
{
    public const string Name = "auth";
}
