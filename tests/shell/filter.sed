# What may differ between Basalt and Linux in a script's output: a script
# prints such a value (a pid, a time, the kernel's release) between {{ and
# }}, and this filter empties the braces. Nothing else is filtered.
s/{{[^}]*}}/{{}}/g
