using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using System.Reflection;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace VSmenu.Pos.Ipc;

/// <summary>
/// JSON-RPC 2.0 with <c>Content-Length</c> framing (what npm vscode-jsonrpc speaks) and the REST API's snake_case JSON,
/// shared by the terminal's server and the <c>vsmenu-pos call</c> client.
/// </summary>
public static class IpcProtocol
{
    /// <summary>
    /// Messages are written straight to the socket by whoever sends them. Given a stream, StreamJsonRpc writes into a pipe
    /// that a task of its own copies to the stream: one more wait for a pool thread in every answer and notification. The
    /// writer owns the socket, as StreamJsonRpc's own reader leaves it open: it is closed once the last answer is written.
    /// </summary>
    public static IJsonRpcMessageHandler Handler(Stream stream) =>
        new HeaderDelimitedMessageHandler(
            PipeWriter.Create(stream),
            PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true)),
            new SystemTextJsonFormatter { JsonSerializerOptions = PosJson.Options });
}

/// <summary>
/// A connection that answers a <see cref="PosError"/> with the API's error body as the error's data, and its HTTP status
/// as the code, and times each call it dispatches (<see cref="IpcMetrics"/>).
/// </summary>
public sealed class PosJsonRpc(IJsonRpcMessageHandler handler, IpcMetrics metrics) : JsonRpc(handler)
{
    protected override async ValueTask<JsonRpcMessage> DispatchRequestAsync(JsonRpcRequest request, TargetMethod targetMethod, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        string? errorType = null;
        try
        {
            var answer = await base.DispatchRequestAsync(request, targetMethod, cancellationToken);
            errorType = answer is JsonRpcError { Error: { } error } ? ErrorType(error) : null;
            return answer;
        }
        catch (Exception thrown)
        {
            // A channel that throws before it returns its task: the answer is built from the exception afterwards, as here.
            errorType = ErrorType(CreateErrorDetails(request, thrown is TargetInvocationException { InnerException: { } inner } ? inner : thrown));
            throw;
        }
        finally
        {
            metrics.Record(request.Method!, Stopwatch.GetElapsedTime(started), errorType);
        }
    }

    private static string ErrorType(JsonRpcError.ErrorDetail error) => ((int)error.Code).ToString(CultureInfo.InvariantCulture);

    protected override JsonRpcError.ErrorDetail CreateErrorDetails(JsonRpcRequest request, Exception exception)
    {
        if (exception is PosError refused)
        {
            var data = refused.Body.DeepClone().AsObject();
            data["status"] = refused.Status;
            return new JsonRpcError.ErrorDetail { Code = (JsonRpcErrorCode)refused.Status, Message = refused.Message, Data = data };
        }

        return base.CreateErrorDetails(request, exception);
    }
}

/// <summary>The client side (<c>vsmenu-pos call</c>): an error's data is read as the JSON it is, the API's error body.</summary>
public sealed class PosJsonRpcClient(IJsonRpcMessageHandler handler) : JsonRpc(handler)
{
    protected override Type? GetErrorDetailsDataType(JsonRpcError error) => typeof(System.Text.Json.JsonElement);
}
