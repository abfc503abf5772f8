using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Realtime.Gateway.Connections;

/// <summary>What a session logs, how a request is refused before the upgrade, and the read buffer's growth.</summary>
internal sealed partial class ConnectionHandler
{
    private static byte[] Grow(byte[] buffer, int count, int size)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        buffer.AsSpan(0, count).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(buffer);
        return bigger;
    }

    /// <summary>A refusal the client may retry: the status, and Retry-After.</summary>
    private void Refuse(HttpContext context, int status, string reason)
    {
        LogAdmissionRefused(context.Connection.RemoteIpAddress?.ToString(), status, reason);
        context.Response.StatusCode = status;
        context.Response.Headers.RetryAfter = "1";
    }

    [LoggerMessage(EventId = 2008, Level = LogLevel.Debug, Message = "A connection from {Address} was refused with {Status}: {Reason}.")]
    private partial void LogAdmissionRefused(string? address, int status, string reason);

    [LoggerMessage(EventId = 2000, Level = LogLevel.Debug, Message = "Client {ClientId} connected (user {UserId}, path {Path}).")]
    private partial void LogConnected(string clientId, string? userId, string path);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Client {ClientId} could not be registered in the cluster; closing with 1013.")]
    private partial void LogRegisterFailed(Exception exception, string clientId);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Debug, Message = "Client {ClientId}'s dropped session could not be ended after its resume window.")]
    private partial void LogExpireFailed(Exception exception, string clientId);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Warning, Message = "Client {ClientId}'s session could not be resumed; the socket starts a fresh one.")]
    private partial void LogResumeFailed(Exception exception, string clientId);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Information, Message = "Client {ClientId} resumed its session (user {UserId}, path {Path}).")]
    private partial void LogResumed(string clientId, string? userId, string path);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Client {ClientId} could not be unregistered from the cluster.")]
    private partial void LogUnregisterFailed(Exception exception, string clientId);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Client {ClientId} of user {UserId} was refused: {Reason}.")]
    private partial void LogRefused(string clientId, string? userId, string? reason);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error, Message = "The session of client {ClientId} failed; closing with 1011.")]
    private partial void LogSessionFailed(Exception exception, string clientId);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Debug, Message = "Client {ClientId} could not be unregistered; trying again.")]
    private partial void LogUnregisterRetry(Exception exception, string clientId);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Debug, Message = "Client {ClientId} broke the WebSocket protocol: {Error}")]
    private partial void LogProtocolViolation(string clientId, string error);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Debug, Message = "Client {ClientId} sent a frame over {Limit} bytes; closing with 1009.")]
    private partial void LogFrameTooLarge(string clientId, int limit);
}
