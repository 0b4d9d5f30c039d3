using System.Reflection;
using System.Text.Json;
using ServingBuild.Options;

namespace ServingBuild.Tasks;

/// <summary>
/// The run file's JSON, read and written with JsonDocument and Utf8JsonWriter over BuildOptions' properties as
/// reflection finds them. Every task process reads it at start: the serializer's generated metadata cost
/// about 0.27 s of start-up per task on this project's 2-core hosts, this about nothing. New options need no code
/// here as long as their type is one of those below (RunFileTests round-trips every property).
/// </summary>
internal static class RunFileJson
{
    private static readonly PropertyInfo[] OptionProperties = typeof(BuildOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanWrite)
        .ToArray();

    public static byte[] Write(RunFile run)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("target", run.Target);
            json.WriteStartArray("tasks");
            foreach (var task in run.Tasks)
            {
                json.WriteStartObject();
                json.WriteString("name", task.Name);
                json.WriteString("description", task.Description);
                json.WriteStartArray("dependsOn");
                foreach (var dependency in task.DependsOn)
                {
                    json.WriteStringValue(dependency);
                }

                json.WriteEndArray();
                json.WriteBoolean("runs", task.Runs);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("options");
            foreach (var property in OptionProperties)
            {
                json.WritePropertyName(Name(property));
                WriteValue(json, property.PropertyType, property.GetValue(run.Options));
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static RunFile Read(ReadOnlyMemory<byte> bytes)
    {
        using var document = JsonDocument.Parse(bytes);
        var root = document.RootElement;
        var tasks = root.GetProperty("tasks").EnumerateArray()
            .Select(t => new RunTask(
                t.GetProperty("name").GetString()!,
                t.GetProperty("description").GetString()!,
                t.GetProperty("dependsOn").EnumerateArray().Select(d => d.GetString()!).ToArray(),
                t.GetProperty("runs").GetBoolean()))
            .ToArray();

        // BuildOptions' required members are a compile-time promise; every one of them is in the file.
        var options = (BuildOptions)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(typeof(BuildOptions));
        var given = root.GetProperty("options");
        foreach (var property in OptionProperties)
        {
            var value = given.TryGetProperty(Name(property), out var element)
                ? ReadValue(element, property.PropertyType)
                : throw new JsonException($"the options lack \"{Name(property)}\"");
            property.SetValue(options, value);
        }

        return new RunFile { Target = root.GetProperty("target").GetString()!, Tasks = tasks, Options = options };
    }

    private static string Name(PropertyInfo property) => JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    private static void WriteValue(Utf8JsonWriter json, Type type, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case string s:
                json.WriteStringValue(s);
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case int i:
                json.WriteNumberValue(i);
                break;
            case long l:
                json.WriteNumberValue(l);
                break;
            case double d:
                // "R" round-trips every double exactly; JSON numbers have no NaN or infinity, which options never hold.
                json.WriteRawValue(d.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
                break;
            case Enum e:
                json.WriteStringValue(e.ToString());
                break;
            case IEnumerable<string> list:
                json.WriteStartArray();
                foreach (var item in list)
                {
                    json.WriteStringValue(item);
                }

                json.WriteEndArray();
                break;
            default:
                throw new NotSupportedException($"BuildOptions holds a {type.Name}; teach RunFileJson to write it");
        }
    }

    private static object? ReadValue(JsonElement element, Type type)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var plain = Nullable.GetUnderlyingType(type) ?? type;
        return plain switch
        {
            _ when plain == typeof(string) => element.GetString(),
            _ when plain == typeof(bool) => element.GetBoolean(),
            _ when plain == typeof(int) => element.GetInt32(),
            _ when plain == typeof(long) => element.GetInt64(),
            _ when plain == typeof(double) => element.GetDouble(),
            _ when plain.IsEnum => Enum.Parse(plain, element.GetString()!),
            _ when plain.IsAssignableFrom(typeof(string[])) => element.EnumerateArray().Select(e => e.GetString()!).ToArray(),
            _ => throw new NotSupportedException($"BuildOptions holds a {type.Name}; teach RunFileJson to read it"),
        };
    }
}
