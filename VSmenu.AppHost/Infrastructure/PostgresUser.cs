namespace VSmenu.AppHost.Infrastructure;

/// <summary>
/// PostgreSQL refuses to run as root. When the AppHost is root (CI, containers, some dev boxes), its PostgreSQL
/// programs run as the <c>postgres</c> user through <c>setpriv</c>, which changes user and then execs: the
/// orchestrator's signals reach postgres itself, and no watcher process can be killed and leave it orphaned.
/// </summary>
public sealed record PostgresUser(bool SwitchFromRoot)
{
    public const string Name = "postgres";

    public static PostgresUser ForCurrentProcess()
    {
        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess)
        {
            return new(SwitchFromRoot: false);
        }

        var userExists = File.Exists("/etc/passwd") && File.ReadLines("/etc/passwd").Any(line => line.StartsWith($"{Name}:", StringComparison.Ordinal));
        return userExists
            ? new(SwitchFromRoot: true)
            : throw new InfrastructureUnavailableException(
                $"Running as root, PostgreSQL needs a '{Name}' user to run as. Create it ({LocalBinaries.DebianInstallLine} does) or run as a normal user.");
    }

    /// <summary>The command line that runs <paramref name="program"/> as this user.</summary>
    public (string Command, IReadOnlyList<string> Arguments) Command(string program, params IEnumerable<string> arguments) =>
        SwitchFromRoot
            ? ("setpriv", ["--reuid", Name, "--regid", Name, "--init-groups", "--", program, .. arguments])
            : (program, [.. arguments]);
}
