using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using StackExchange.Redis;
using VSmenu.Api.Infrastructure;
using VSmenu.Data;

namespace VSmenu.UnitTests.Edge;

/// <summary>The API's one exception-to-response mapping (the spec's <c>Handler.php</c>), in both environments.</summary>
public sealed class ErrorMappingTests
{
    public static TheoryData<string> BothEnvironments => new() { Environments.Production, Environments.Development };

    [Fact]
    public async Task In_production_a_500_says_only_internal_server_error_and_a_trace_id()
    {
        using var english = new CultureScope("en");

        var (status, body, _) = await HandleAsync(new InvalidOperationException("Host=db.internal;Password=hunter2"), Environments.Production);

        Assert.Equal(500, status);
        Assert.Equal("Internal server error.", body.GetProperty("message").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("trace_id").GetString()));
        Assert.DoesNotContain("hunter2", body.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_development_a_500_names_the_exception_for_the_developer()
    {
        var (status, body, _) = await HandleAsync(new InvalidOperationException("the tenant filter was bypassed"), Environments.Development);

        Assert.Equal(500, status);
        Assert.Equal("InvalidOperationException: the tenant filter was bypassed", body.GetProperty("message").GetString());
    }

    [Theory]
    [MemberData(nameof(BothEnvironments))]
    public async Task A_dependency_that_is_down_is_a_503_with_retry_after_in_every_environment(string environment)
    {
        var refused = new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused));
        Exception[] down =
        [
            refused,
            new RetryLimitExceededException("Maximum number of retries (2) exceeded", refused),
            new InvalidOperationException("An exception has been raised that is likely due to a transient failure.", refused),
            new RedisConnectionException(ConnectionFailureType.UnableToConnect, "No connection is active/available"),
            new RedisTimeoutException("Timeout awaiting response", CommandStatus.Sent),
            new HttpRequestException("Connection refused (realtime:80)"),
            new Polly.Timeout.TimeoutRejectedException("The operation didn't complete within the allowed timeout"),
        ];

        foreach (var exception in down)
        {
            var (status, body, headers) = await HandleAsync(exception, environment);

            Assert.Equal(503, status);
            Assert.Equal("Serviço temporariamente indisponível; tente novamente em instantes.", body.GetProperty("message").GetString());
            Assert.Equal("5", headers.RetryAfter.ToString());
            Assert.True(body.TryGetProperty("trace_id", out _));
        }
    }

    [Theory]
    [MemberData(nameof(BothEnvironments))]
    public async Task Conflicts_and_problems_keep_their_status_and_message_in_every_environment(string environment)
    {
        var concurrent = await HandleAsync(new DbUpdateConcurrencyException("row version changed"), environment);
        var problem = await HandleAsync(new ApiProblemException(404, "Recurso não encontrado."), environment);

        Assert.Equal((409, "O recurso foi alterado por outra requisição; tente novamente."), (concurrent.Status, concurrent.Body.GetProperty("message").GetString()));
        Assert.Equal((404, "Recurso não encontrado."), (problem.Status, problem.Body.GetProperty("message").GetString()));
        Assert.False(problem.Body.TryGetProperty("trace_id", out _));
    }

    [Fact]
    public void A_constraint_violation_is_not_mistaken_for_a_dependency_down()
    {
        Assert.False(ApiExceptionHandler.IsDependencyDown(new DbUpdateException("duplicate", new InvalidOperationException())));
        Assert.False(ApiExceptionHandler.IsDependencyDown(new NpgsqlException("protocol violation")));
    }

    private static async Task<(int Status, JsonElement Body, IHeaderDictionary Headers)> HandleAsync(Exception exception, string environment)
    {
        var services = new ServiceCollection().ConfigureHttpJsonOptions(options => WireJson.Configure(options.SerializerOptions)).BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Response.Body = new MemoryStream();
        var handler = new ApiExceptionHandler(new Environment(environment), NullLogger<ApiExceptionHandler>.Instance);

        Assert.True(await handler.TryHandleAsync(context, exception, CancellationToken.None));

        context.Response.Body.Position = 0;
        using var body = await JsonDocument.ParseAsync(context.Response.Body);
        return (context.Response.StatusCode, body.RootElement.Clone(), context.Response.Headers);
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "VSmenu.Api";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
