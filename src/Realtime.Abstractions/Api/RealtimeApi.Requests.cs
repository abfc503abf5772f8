using System.Security.Cryptography;
using Realtime.Delivery;
using Realtime.Protocol;

namespace Realtime.Api;

/// <summary>Server requests: a push with <c>rid</c>, answered by the client through its gateway to this process.</summary>
public sealed partial class RealtimeApi
{
    /// <summary>The longest a server request may wait for its answer.</summary>
    public static readonly TimeSpan MaxRequestTimeout = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan s_defaultRequestTimeout = TimeSpan.FromSeconds(10);

    private RequestBroker? _requests;

    private RequestBroker Requests
    {
        get
        {
            if (_requests is null)
            {
                Interlocked.CompareExchange(ref _requests, new RequestBroker(grains), null);
            }

            return _requests;
        }
    }

    /// <inheritdoc />
    public async Task<ReadOnlyMemory<byte>> InvokeClientAsync(string clientId, RealtimePush request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentNullException.ThrowIfNull(request);
        var wait = ValidTimeout(timeout);
        var answer = await AskAsync(clientId, request, wait, cancellationToken);
        return answer.Ok
            ? BinaryValues.Plain(answer.Data ?? ReadOnlyMemory<byte>.Empty)
            : throw new RealtimeException(answer.Code ?? ErrorCodes.HandlerError, answer.Error ?? "The client refused the request");
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ClientInvokeOutcome>> InvokeUserAsync(string userId, RealtimePush request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentNullException.ThrowIfNull(request);
        var wait = ValidTimeout(timeout);
        var connections = await grains.GetUserPresenceGrain(userId).GetConnections();
        return await Task.WhenAll(connections.Select(async connection =>
        {
            var answer = await AskAsync(connection.ClientId, request, wait, cancellationToken);
            return new ClientInvokeOutcome(connection.ClientId, answer.Ok, BinaryValues.Plain(answer.Data ?? ReadOnlyMemory<byte>.Empty), answer.Code, answer.Error);
        }));
    }

    /// <summary>The client's answer, or one that says why there is none (<c>NOT_CONNECTED</c>, <c>TIMEOUT</c>).</summary>
    private async Task<ClientAnswer> AskAsync(string clientId, RealtimePush request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var rid = "r_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var requests = Requests;
        var answer = requests.Expect(rid);
        try
        {
            var replyTo = await requests.Reference();
            var frame = ServerFrames.Request(request.Type, request.Action, request.Data, rid);
            if (!await grains.GetDeliveryGrain().SendRequest(new ClientRequest(clientId, rid, frame, (long)timeout.TotalMilliseconds, replyTo)))
            {
                return ClientAnswer.NotConnected;
            }

            try
            {
                return await answer.WaitAsync(timeout, cancellationToken);
            }
            catch (TimeoutException)
            {
                return new ClientAnswer(false, null, ErrorCodes.Timeout, $"The client did not answer within {timeout.TotalMilliseconds:0} ms");
            }
        }
        finally
        {
            requests.Forget(rid);
        }
    }

    private static TimeSpan ValidTimeout(TimeSpan? timeout)
    {
        var value = timeout ?? s_defaultRequestTimeout;
        return value > TimeSpan.Zero && value <= MaxRequestTimeout
            ? value
            : throw new ArgumentOutOfRangeException(nameof(timeout), timeout, $"A request's timeout is more than 0 and at most {MaxRequestTimeout}.");
    }
}
