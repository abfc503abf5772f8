using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Realtime.Api;
using Realtime.Events;
using Realtime.Protocol;

namespace Realtime.Gateway.HttpApi;

/// <summary>The HTTP publish API: every operation of <see cref="IRealtime"/>, JSON in and out, for backends that are not .NET.</summary>
public static partial class RealtimeHttpApiEndpoints
{
    private const long MaxBodyBytes = 1024 * 1024;
    private const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>
    /// Maps <c>POST {prefix}/{operation}</c> for every operation (see README), errors as problem details (an
    /// unknown operation too: 404), and the OpenAPI document at <c>{prefix}/openapi/v1.json</c>.
    /// </summary>
    public static RouteGroupBuilder MapRealtimeApi(this IEndpointRouteBuilder endpoints, string prefix = "/api")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.MapGroup(prefix).AddEndpointFilter<HttpApiAuthorization>();
        api.Post<SendToRoomRequest>("send-to-room", SendToRoom);
        api.Post<SendToRoomsRequest>("send-to-rooms", async (r, realtime) => await Done(realtime.SendToRoomsAsync(r.Rooms!, r.Push(), r.Options())));
        api.Post<SendToUsersRequest>("send-to-users", async (r, realtime) => await Done(realtime.SendToUsersAsync(r.Users!, r.Push(), r.Options())));
        api.Post<SendToClientRequest>("send-to-client", async (r, realtime) => await Done(realtime.SendToClientAsync(r.ClientId!, r.Push(), r.Options())));
        api.Post<InvokeClientRequest>("invoke-client", InvokeClient);
        api.Post<SendToAllRequest>("send-to-all", async (r, realtime) => await Done(realtime.SendToAllAsync(r.Push(), r.Options())));
        api.Post<SendToPathRequest>("send-to-path", async (r, realtime) => await Done(realtime.SendToPathAsync(r.Path!, r.Push(), r.Options())));
        api.Post<DisconnectRequest>("disconnect", async (r, realtime) => await Done(r.ClientId is { } clientId
            ? realtime.DisconnectClientAsync(clientId, r.Code ?? CloseCodes.PolicyViolation, r.Reason ?? "disconnected by the server")
            : realtime.DisconnectUserAsync(r.UserId!, r.Code ?? CloseCodes.PolicyViolation, r.Reason ?? "disconnected by the server")));
        api.Post<ClientRoomRequest>("join-room", async (r, realtime) => new { seq = await realtime.JoinRoomAsync(r.ClientId!, r.Room!) });
        api.Post<ClientRoomRequest>("leave-room", async (r, realtime) => await Done(realtime.LeaveRoomAsync(r.ClientId!, r.Room!)));
        api.Post<RoomRequest>("room-members", async (r, realtime) =>
        {
            var members = await realtime.GetRoomMembersAsync(r.Room!);
            return new { count = members.Count, members = members.Select(m => new { m.ClientId, m.UserId, m.Metadata }) };
        });
        api.Post<RoomHistoryRequest>("room-history", async (r, realtime) =>
        {
            var history = await realtime.GetRoomHistoryAsync(r.Room!, r.Since ?? 0, r.Limit ?? 100);
            return new
            {
                seq = history.Seq,
                epoch = history.Epoch,
                complete = history.Complete,
                pushes = history.Pushes.Select(p => JsonDocument.Parse(p.Frame).RootElement.Clone()).ToArray(),
            };
        });
        api.Post<UsersRequest>("online-users", async (r, realtime) => new { online = await realtime.GetOnlineUsersAsync(r.Users!) });
        api.Post<ClientRequest>("client", async (r, realtime) => await realtime.GetClientAsync(r.ClientId!) is { } info
            ? new { info.ClientId, info.UserId, info.Path, info.Metadata, info.Rooms, info.ConnectedAt }
            : throw new RealtimeException("NOT_FOUND", $"No connection {r.ClientId}"));
        api.Post<ClientMetadataRequest>("client-metadata", async (r, realtime) => await Done(realtime.UpdateClientMetadataAsync(r.ClientId!, r.Metadata!)));
        api.Post<PublishEventRequest>("publish-event", async (r, realtime) =>
        {
            var payload = r.Payload is { } value ? JsonMarshal.GetRawUtf8Value(value).ToArray() : [];
            var realtimeEvent = new RealtimeEvent(Guid.NewGuid().ToString("N"), r.Channel!, payload, DateTimeOffset.UtcNow);
            await realtime.PublishEventAsync(realtimeEvent);
            return new { id = realtimeEvent.Id };
        });
        // What no operation took: a known one with another method (405) or a body that is not JSON (415,
        // as the operations' content-type metadata leaves it here), else an unknown operation (404).
        api.Map("{**operation}", (string operation, HttpContext http) => !s_operations.Contains(operation)
                ? HttpApiResults.Error(StatusCodes.Status404NotFound, $"No operation {operation}: the API takes POST {prefix}/<operation> (see {prefix}/openapi/v1.json)", "NOT_FOUND")
                : !HttpMethods.IsPost(http.Request.Method)
                ? HttpApiResults.Error(StatusCodes.Status405MethodNotAllowed, $"{operation} takes POST")
                : HttpApiResults.Error(StatusCodes.Status415UnsupportedMediaType, "Send a JSON body (Content-Type: application/json)."))
            .ExcludeFromDescription();
        endpoints.MapOpenApi(prefix + "/openapi/{documentName}.json");
        return api;
    }

    /// <summary>
    /// Middleware for an operator page (the dashboard): when the HTTP API has credentials (its key,
    /// token validation), the page asks for the same ones: the key in <c>X-Api-Key</c> or as a Basic
    /// password (any user name; a browser prompts for it), or a token with the API role. Open when
    /// there are none, as in the embedded default.
    /// </summary>
    public static async Task RequireApiCredentials(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var authorization = context.RequestServices.GetRequiredService<HttpApiAuthorization>();
        if (!authorization.Configured || await authorization.RefuseAsync(context, basic: true) is not { } refusal)
        {
            await next(context);
            return;
        }

        if (context.Request.Headers.Authorization.Count == 0 || BasicCredentials.PasswordOf(context.Request.Headers.Authorization.ToString()) is not null)
        {
            context.Response.Headers.WWWAuthenticate = BasicCredentials.Challenge("realtime");
        }

        await refusal.ExecuteAsync(context);
    }

    /// <summary>
    /// <c>send-to-room</c>, with an <c>Idempotency-Key</c> header: a repeat within the room's window broadcasts
    /// nothing and answers the first seq with <c>"duplicate":true</c>.
    /// </summary>
    private static async Task<object> SendToRoom(SendToRoomRequest request, IRealtime realtime, HttpContext http)
    {
        string? key = null;
        if (http.Request.Headers.TryGetValue(IdempotencyKeyHeader, out var values))
        {
            key = values.Count == 1 && IdempotencyKeys.IsValid(values[0])
                ? values[0]
                : throw new ArgumentException($"the {IdempotencyKeyHeader} header must be one value, {IdempotencyKeys.Rule}");
        }

        var result = await realtime.SendToRoomWithResultAsync(request.Room!, request.Push(), request.Options() with { IdempotencyKey = key });
        return result.Duplicate ? new { seq = result.Seq, duplicate = true } : new { seq = result.Seq };
    }

    /// <summary>Marks a request whose refusal is the client's own (its code): 422, not a caller's mistake.</summary>
    private const string ClientRefusal = "realtime.clientRefusal";

    /// <summary><c>invoke-client</c>: the client's answer as <c>{"data":...}</c>; its refusal, a timeout or its absence as an error.</summary>
    private static async Task<object> InvokeClient(InvokeClientRequest request, IRealtime realtime, HttpContext http)
    {
        ReadOnlyMemory<byte> answer;
        try
        {
            answer = await realtime.InvokeClientAsync(request.ClientId!, request.Push(), request.Timeout, http.RequestAborted);
        }
        catch (RealtimeException exception) when (exception.Code is not (ErrorCodes.NotConnected or ErrorCodes.Timeout))
        {
            http.Items[ClientRefusal] = true;
            throw;
        }

        if (answer.IsEmpty)
        {
            return new { data = (object?)null };
        }

        using var document = JsonDocument.Parse(answer);
        return new { data = document.RootElement.Clone() };
    }

    private static async Task<object> Done(Task task)
    {
        await task;
        return new { };
    }

    private static void Post<TRequest>(this RouteGroupBuilder api, string operation, Func<TRequest, IRealtime, Task<object>> run)
        where TRequest : class, IHttpApiRequest
        => api.Post<TRequest>(operation, (request, realtime, _) => run(request, realtime));

    private static readonly HashSet<string> s_operations = new(StringComparer.Ordinal);

    /// <summary>One operation: the body read and checked (400 with what is wrong), then run; refusals become clear answers.</summary>
    private static void Post<TRequest>(this RouteGroupBuilder api, string operation, Func<TRequest, IRealtime, HttpContext, Task<object>> run)
        where TRequest : class, IHttpApiRequest
        => api.MapPost(Known(operation), async (HttpContext http, IRealtime realtime, ILoggerFactory loggers) =>
        {
            if (!http.Request.HasJsonContentType())
            {
                return HttpApiResults.Error(StatusCodes.Status415UnsupportedMediaType, "Send a JSON body (Content-Type: application/json).");
            }

            TRequest? request;
            try
            {
                request = await http.Request.ReadFromJsonAsync<TRequest>(RealtimeJson.DefaultDataOptions, http.RequestAborted);
            }
            catch (JsonException exception)
            {
                return HttpApiResults.Error(StatusCodes.Status400BadRequest, $"The body is not a valid {operation} request: {exception.Message}");
            }

            if (request is null)
            {
                return HttpApiResults.Error(StatusCodes.Status400BadRequest, $"{operation}: the body must be a JSON object");
            }

            if (request.Problem() is { } problem)
            {
                return HttpApiResults.Error(StatusCodes.Status400BadRequest, $"{operation}: {problem}");
            }

            try
            {
                return Results.Json(await run(request, realtime, http), RealtimeJson.DefaultDataOptions);
            }
            catch (RealtimeException exception)
            {
                var status = exception.Code switch
                {
                    "NOT_FOUND" or ErrorCodes.Unauthorized => StatusCodes.Status404NotFound,
                    ErrorCodes.Forbidden => StatusCodes.Status403Forbidden,
                    ErrorCodes.NotConnected => StatusCodes.Status404NotFound,
                    ErrorCodes.Timeout => StatusCodes.Status504GatewayTimeout,
                    _ when http.Items.ContainsKey(ClientRefusal) => StatusCodes.Status422UnprocessableEntity,
                    _ => StatusCodes.Status400BadRequest,
                };
                return HttpApiResults.Error(status, exception.Message, exception.Code);
            }
            catch (ArgumentException exception)
            {
                return HttpApiResults.Error(StatusCodes.Status400BadRequest, $"{operation}: {exception.Message}");
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogOperationFailed(loggers.CreateLogger(typeof(RealtimeHttpApiEndpoints)), exception, operation);
                return HttpApiResults.Error(StatusCodes.Status500InternalServerError, "The operation failed; details are in the gateway's log.");
            }
        })
        .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
        .WithName(operation)
        .Accepts<TRequest>("application/json")
        .Produces(StatusCodes.Status200OK, contentType: "application/json")
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status404NotFound);

    private static string Known(string operation)
    {
        lock (s_operations)
        {
            s_operations.Add(operation);
        }

        return operation;
    }

    [LoggerMessage(EventId = 2500, Level = LogLevel.Error, Message = "HTTP API operation {Operation} failed.")]
    private static partial void LogOperationFailed(ILogger logger, Exception exception, string operation);
}
