namespace VSmenu.AppHost.Infrastructure;

/// <summary>
/// The machine lacks something the chosen infrastructure needs. Its message is one line that says what to
/// install or set, shown to the developer instead of a hang.
/// </summary>
public sealed class MissingPrerequisiteException(string message) : Exception(message);
