import { Component, type ErrorInfo, type ReactNode } from 'react';

interface ErrorBoundaryState {
  readonly error?: Error;
}

/**
 * Keeps one broken page from blanking the app: shows what failed and a way on, and resets
 * when `resetKey` changes (the reviewer navigated elsewhere).
 */
export class ErrorBoundary extends Component<
  { readonly resetKey: string; readonly children: ReactNode },
  ErrorBoundaryState
> {
  override state: ErrorBoundaryState = {};

  static getDerivedStateFromError(error: Error): ErrorBoundaryState {
    return { error };
  }

  override componentDidUpdate(previous: { readonly resetKey: string }): void {
    if (previous.resetKey !== this.props.resetKey && this.state.error !== undefined)
      this.setState({ error: undefined });
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('Gatehouse page failed', error, info.componentStack);
  }

  override render(): ReactNode {
    if (this.state.error === undefined) return this.props.children;
    return (
      <div className="state state-error" role="alert">
        <p className="state-title">This page failed to show.</p>
        <p>{this.state.error.message}</p>
        <button type="button" className="button" onClick={() => window.location.reload()}>
          Reload
        </button>
      </div>
    );
  }
}
