namespace VSmenu.AppHost.Infrastructure;

/// <summary>
/// Redis and PostgreSQL cannot be provided as configured: a binary or user is missing, or the setting is
/// invalid. Its message is one line saying what to install or set, shown instead of a hang.
/// </summary>
public sealed class InfrastructureUnavailableException(string message) : Exception(message);
