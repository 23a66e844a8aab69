module galvanic.dev/agent

go 1.19
