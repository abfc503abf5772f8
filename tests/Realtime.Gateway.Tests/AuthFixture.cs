using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
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
                ["Realtime:Gateway:RawEndpoints:/raw/text"] = "String",
            },
            builder =>
            {
                builder.Services.AddRealtimeHandlers(TestHandlers.Register);
                builder.Services.AddRealtimeRooms(RoomRules);
            },
            LogLevel.Trace);

    public async Task DisposeAsync() => await Server.DisposeAsync();

    private static readonly HttpClient s_http = new();

    /// <summary>
    /// Calls the HTTP API's <paramref name="operation"/> with <paramref name="json"/>, the credentials given
    /// and any extra <paramref name="headers"/>; returns the status and the JSON body (default when empty).
    /// </summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> PostApiAsync(
        string operation, string json, string? apiKey = ApiKey, string? bearer = null, string contentType = "application/json", IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Server.HttpUri, "/api/" + operation))
        {
            Content = new StringContent(json, Encoding.UTF8, contentType),
        };
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.Add(name, value);
        }

        using var response = await s_http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

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
