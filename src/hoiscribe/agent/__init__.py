"""Tool-using agent rollouts: tool-call parsing, the bounded loop, the agent engine."""
